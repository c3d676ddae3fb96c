// The one door to the sandbox: a real HTTP emulator of a vendor's customer API on loopback, for
// `poscust sandbox`, the demo and the tests. Nothing else in the product imports from src/sandbox/,
// and nothing in src/sandbox/ imports from the product. This file is small on purpose: the command
// tree reads the names and fault kinds from it at start-up, and the emulators load only when
// `startSandbox` is called.
//
// Control endpoints (no auth, quota, faults or latency; not in the request log):
//   GET    /_sandbox/requests   the request log: method, path, raw query, lower-cased headers,
//                               parsed body (secrets masked), status, fault, answered, time, durationMs
//   DELETE /_sandbox/requests   clear it
//   GET    /_sandbox/customers  the whole state;  PUT replaces it with a JSON array of records
//   POST   /_sandbox/seed       {"count": n}: replace the state with n seeded customers
//   GET    /_sandbox/stats      requests, writes, tokensIssued, rateLimited, faults by kind, ...
//   GET    /_sandbox/config     runtime settings;  PUT changes some (see SandboxRuntimeConfig)
import type { RunningSandbox, SandboxOptions } from './start.js';

export type { BackendEmulator, EmulatorReply, EmulatorRequest, RateLimitInfo, SandboxCredentials, SandboxLogger } from './core/emulator.js';
export { FAULT_KINDS, type FaultKind } from './core/fault-kinds.js';
export type { RecordedRequest } from './core/request-log.js';
export type { SandboxStats } from './core/server.js';
export type { DealposCustomer } from './dealpos/records.js';
export type { MyposCustomer } from './mypos/records.js';
export type { RunningSandbox, SandboxOptions, SandboxRuntimeConfig } from './start.js';
export type { EmulatorFactoryOptions, SandboxBackend } from './emulators.js';
export { DataFileError, SandboxInputError } from './core/errors.js';
export { SANDBOX_BACKENDS, checkDialects, dialectsOf, emulatorTakes } from './emulators.js';

/**
 * Starts a sandbox. Rejects with SandboxInputError on a bad option, DataFileError when the data file
 * cannot be used, or the listen error (e.g. EADDRINUSE).
 */
export async function startSandbox(opts: SandboxOptions = {}): Promise<RunningSandbox> {
  return (await import('./start.js')).startSandbox(opts);
}
