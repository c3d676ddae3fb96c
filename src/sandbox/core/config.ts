// The core's settings (faults, latency, rate limit), given at start-up and changeable at run time
// through `configure()` and `PUT /_sandbox/config`. Vendor settings are the emulator's own.

import { SandboxInputError } from './emulator.js';
import { FAULT_KINDS, type FaultKind } from './fault-kinds.js';
import { DEFAULT_WINDOW_SECONDS } from './rate-limit.js';
import { type SettingChecks, checkSettings, milliseconds, onOff, positiveSeconds } from './settings.js';

export interface CoreConfig {
  /** Probability (0..1) that an API request gets a fault. */
  faults: number;
  faultKinds: FaultKind[];
  /** Delay of the `slow` fault. */
  slowMs: number;
  /** Delay added to every API answer. */
  latencyMs: number;
  /** Requests per window, all API endpoints together; null = no rate limit. */
  quota: number | null;
  windowSeconds: number;
  /** Let faults hit the token endpoint too (off: a client could not even log in with `faults: 1`). */
  faultTokenEndpoint: boolean;
}

export const DEFAULT_CORE_CONFIG: Readonly<CoreConfig> = Object.freeze({
  faults: 0,
  faultKinds: [...FAULT_KINDS],
  slowMs: 2000,
  latencyMs: 0,
  quota: null,
  windowSeconds: DEFAULT_WINDOW_SECONDS,
  faultTokenEndpoint: false,
});

/** How each core setting is checked; `faultKinds` also takes a comma-separated string. */
const CORE_CHECKS: SettingChecks<CoreConfig> = {
  faults: (_key, value) => {
    if (typeof value !== 'number' || !(value >= 0 && value <= 1)) throw new SandboxInputError('faults must be a probability from 0 to 1');
    return value;
  },
  faultKinds: (_key, value) => {
    const list = typeof value === 'string' ? value.split(',').map((s) => s.trim()).filter(Boolean) : value;
    if (!Array.isArray(list) || list.length === 0 || !list.every((k) => FAULT_KINDS.includes(k as FaultKind))) {
      throw new SandboxInputError(`faultKinds must be a non-empty list of: ${FAULT_KINDS.join(', ')}`);
    }
    return [...new Set(list as FaultKind[])];
  },
  slowMs: milliseconds,
  latencyMs: milliseconds,
  quota: (_key, value) => {
    if (value === null || value === 0) return null;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
      throw new SandboxInputError('quota must be a whole number of requests, 1 or more (null or 0 turns the limit off)');
    }
    return value;
  },
  windowSeconds: positiveSeconds,
  faultTokenEndpoint: onOff,
};

/** Validates and merges a partial core configuration; throws SandboxInputError. */
export function mergeCoreConfig(base: CoreConfig, partial: Record<string, unknown>): CoreConfig {
  return { ...base, faultKinds: [...base.faultKinds], ...checkSettings(partial, CORE_CHECKS) };
}

/** The keys `configure()` hands to the core; the rest go to the emulator. */
export const CORE_CONFIG_KEYS: ReadonlySet<string> = new Set(Object.keys(DEFAULT_CORE_CONFIG));
