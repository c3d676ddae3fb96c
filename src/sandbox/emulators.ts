// The vendor emulators the sandbox runs, by name: the only file of the sandbox that lists them.
// Adding one is a folder under src/sandbox/ whose emulator.ts exports a factory returning a
// `BackendEmulator` (core/emulator.ts), and one entry here. Each loads only when it is started.
import type { BackendEmulator } from './core/emulator.js';

/** Options every emulator factory receives; each takes what applies to it. */
export interface EmulatorFactoryOptions {
  clientId?: string;
  clientSecret?: string;
  /** API user (MYPOS e-mail, PORTOS user name) and password. */
  username?: string;
  password?: string;
  tokenTtlSeconds?: number;
  /** Tokens per API user per UTC day (MYPOS). */
  dailyTokenLimit?: number;
  /** A customer code generator (DealPOS). */
  codeGenerator?: boolean;
  clock?: () => Date;
}

interface EmulatorEntry {
  load(): Promise<(opts: EmulatorFactoryOptions) => BackendEmulator>;
  /** Options only some emulators take: given to another, they are a usage error. */
  takes: readonly (keyof EmulatorFactoryOptions)[];
}

export const EMULATORS = {
  dealpos: { load: async () => (await import('./dealpos/emulator.js')).createDealposEmulator, takes: ['codeGenerator'] },
  mypos: { load: async () => (await import('./mypos/emulator.js')).createMyposEmulator, takes: ['dailyTokenLimit'] },
  portos: { load: async () => (await import('./portos/emulator.js')).createPortosEmulator, takes: [] },
} satisfies Record<string, EmulatorEntry>;

export type SandboxBackend = keyof typeof EMULATORS;

export const SANDBOX_BACKENDS = Object.keys(EMULATORS) as SandboxBackend[];

/** The options that only some emulators take, and which. */
export const PARTIAL_OPTIONS: readonly (keyof EmulatorFactoryOptions)[] = ['codeGenerator', 'dailyTokenLimit'];

export function emulatorTakes(backend: SandboxBackend, option: keyof EmulatorFactoryOptions): boolean {
  return !PARTIAL_OPTIONS.includes(option) || (EMULATORS[backend].takes as readonly string[]).includes(option);
}
