// Fault injection: with probability `faults`, an API request gets one of the fault kinds instead of
// (or on top of) its answer, so clients can be tested against a server that fails the way real
// ones do. The dice come from a seeded generator, so a seed and a request sequence replay exactly.

import type { CoreConfig } from './config.js';
import type { BackendEmulator, EmulatorReply, RateLimitInfo } from './emulator.js';
import type { FaultKind } from './fault-kinds.js';
import { DEFAULT_QUOTA, DEFAULT_WINDOW_SECONDS } from './rate-limit.js';

export { FAULT_KINDS, type FaultKind } from './fault-kinds.js';

/** Rolls the fault dice of API requests and counts the faults by kind. */
export class FaultDice {
  readonly counts: Record<FaultKind, number> = { '500': 0, 'drop-before': 0, 'drop-after': 0, '429': 0, slow: 0 };
  constructor(private readonly random: () => number) {}

  /** The fault of one request, or null. */
  roll(cfg: CoreConfig): FaultKind | null {
    // Always roll twice so the sequence of faults depends only on the seed and request count.
    const hit = this.random() < cfg.faults;
    const pick = this.random();
    const fault = hit ? cfg.faultKinds[Math.floor(pick * cfg.faultKinds.length)] ?? null : null;
    if (fault) this.counts[fault]++;
    return fault;
  }
}

/** What a fault answers in place of the emulator: a reply with its headers, or `drop` for no answer at all. */
export type FaultAnswer = { reply: EmulatorReply; headers: Record<string, string> | undefined } | 'drop';

/**
 * The answer of a fault that stops the request before the emulator sees it, or null for the faults
 * that let the emulator answer (`slow` has already waited; `drop-after` cuts the connection after).
 */
export function preemptingFaultAnswer(
  fault: FaultKind,
  backend: BackendEmulator,
  cfg: CoreConfig,
  limitHeaders: Record<string, string> | undefined,
): FaultAnswer | null {
  switch (fault) {
    case '500':
      return { reply: backend.errorReply(500, 'An error has occurred.'), headers: limitHeaders };
    case 'drop-before':
      return 'drop';
    case '429': {
      const info: RateLimitInfo = {
        limit: cfg.quota ?? DEFAULT_QUOTA,
        remaining: 0,
        windowSeconds: cfg.quota !== null ? cfg.windowSeconds : DEFAULT_WINDOW_SECONDS,
        resetSeconds: 1,
      };
      return { reply: backend.quotaExceededReply(info), headers: backend.rateLimitHeaders(info) };
    }
    default:
      return null;
  }
}
