// The vendor emulators the sandbox runs, by name: the only file of the sandbox that lists them.
// Adding one is a folder under src/sandbox/ whose emulator.ts exports a factory returning a
// `BackendEmulator` (core/emulator.ts), and one entry here. Each loads only when it is started.
import type { BackendEmulator } from './core/emulator.js';
import { SandboxInputError } from './core/errors.js';
import { DEALPOS_DIALECTS } from './dealpos/dialects.js';
import { PORTOS_DIALECTS } from './portos/dialects.js';

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
  /** Variants of the vendor's answers to play (dialects.ts of the vendor's folder), checked. */
  dialects?: string[];
  clock?: () => Date;
}

interface EmulatorEntry {
  load(): Promise<(opts: EmulatorFactoryOptions) => BackendEmulator>;
  /** Options only some emulators take: given to another, they are a usage error. */
  takes: readonly (keyof EmulatorFactoryOptions)[];
  /** The dialects it can speak, each with what it changes. */
  dialects: Readonly<Record<string, string>>;
}

export const EMULATORS = {
  dealpos: { load: async () => (await import('./dealpos/emulator.js')).createDealposEmulator, takes: ['codeGenerator'], dialects: DEALPOS_DIALECTS },
  mypos: { load: async () => (await import('./mypos/emulator.js')).createMyposEmulator, takes: ['dailyTokenLimit'], dialects: {} },
  portos: { load: async () => (await import('./portos/emulator.js')).createPortosEmulator, takes: [], dialects: PORTOS_DIALECTS },
} satisfies Record<string, EmulatorEntry>;

export type SandboxBackend = keyof typeof EMULATORS;

export const SANDBOX_BACKENDS = Object.keys(EMULATORS) as SandboxBackend[];

/** The options that only some emulators take, and which. */
export const PARTIAL_OPTIONS: readonly (keyof EmulatorFactoryOptions)[] = ['codeGenerator', 'dailyTokenLimit'];

export function emulatorTakes(backend: SandboxBackend, option: keyof EmulatorFactoryOptions): boolean {
  return !PARTIAL_OPTIONS.includes(option) || (EMULATORS[backend].takes as readonly string[]).includes(option);
}

/** The dialects `backend` can speak, by name, with what each changes. */
export function dialectsOf(backend: SandboxBackend): Readonly<Record<string, string>> {
  return EMULATORS[backend].dialects;
}

/**
 * The dialect names asked for (`all` means every one), checked against what the emulator speaks;
 * a SandboxInputError names the ones it has.
 */
export function checkDialects(backend: SandboxBackend, names: readonly string[]): string[] {
  const known = Object.keys(dialectsOf(backend));
  const wanted = names.flatMap((n) => n.split(',')).map((n) => n.trim().toLowerCase()).filter(Boolean);
  if (wanted.includes('all')) return known;
  const unknown = wanted.find((n) => !known.includes(n));
  if (unknown !== undefined) {
    throw new SandboxInputError(
      `the ${backend} sandbox has no dialect '${unknown}'; ${known.length ? `it speaks: ${known.join(', ')} (or all)` : 'it speaks none'}`,
    );
  }
  return [...new Set(wanted)];
}
