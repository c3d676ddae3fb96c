// The core's settings (faults, latency, rate limit), given at start-up and changeable at run time
// through `configure()` and `PUT /_sandbox/config`. Vendor settings are the emulator's own.

import { SandboxInputError } from './emulator.js';
import { FAULT_KINDS, type FaultKind } from './faults.js';
import { DEFAULT_WINDOW_SECONDS } from './rate-limit.js';

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

/** Validates and merges a partial core configuration; throws SandboxInputError. */
export function mergeCoreConfig(base: CoreConfig, partial: Record<string, unknown>): CoreConfig {
  const next: CoreConfig = { ...base, faultKinds: [...base.faultKinds] };
  for (const [key, value] of Object.entries(partial)) {
    if (value === undefined) continue;
    switch (key) {
      case 'faults':
        if (typeof value !== 'number' || !(value >= 0 && value <= 1)) {
          throw new SandboxInputError('faults must be a probability from 0 to 1');
        }
        next.faults = value;
        break;
      case 'faultKinds': {
        const list = typeof value === 'string' ? value.split(',').map((s) => s.trim()).filter(Boolean) : value;
        if (!Array.isArray(list) || list.length === 0 || !list.every((k) => FAULT_KINDS.includes(k as FaultKind))) {
          throw new SandboxInputError(`faultKinds must be a non-empty list of: ${FAULT_KINDS.join(', ')}`);
        }
        next.faultKinds = [...new Set(list as FaultKind[])];
        break;
      }
      case 'slowMs':
      case 'latencyMs':
        if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
          throw new SandboxInputError(`${key} must be a number of milliseconds, 0 or more`);
        }
        next[key] = value;
        break;
      case 'quota':
        if (value === null || value === 0) {
          next.quota = null;
        } else if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
          throw new SandboxInputError('quota must be a whole number of requests, 1 or more (null or 0 turns the limit off)');
        } else {
          next.quota = value;
        }
        break;
      case 'windowSeconds':
        if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
          throw new SandboxInputError('windowSeconds must be a number of seconds greater than 0');
        }
        next.windowSeconds = value;
        break;
      case 'faultTokenEndpoint':
        if (typeof value !== 'boolean') throw new SandboxInputError('faultTokenEndpoint must be true or false');
        next.faultTokenEndpoint = value;
        break;
      default:
        throw new SandboxInputError(`unknown sandbox setting '${key}'`);
    }
  }
  return next;
}

/** The keys `configure()` hands to the core; the rest go to the emulator. */
export const CORE_CONFIG_KEYS: ReadonlySet<string> = new Set(Object.keys(DEFAULT_CORE_CONFIG));
