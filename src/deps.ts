// Everything a command touches from the outside world comes in through `Deps`, built once in
// `src/cli.ts` (or by a test). Nothing below the entry point reads `process.*` or uses `console`.
import type { Dispatcher } from 'undici';
import type { Redactor } from './redact.js';

export type Env = Readonly<Record<string, string | undefined>>;

export interface OutStream {
  /** Text, or bytes (a workbook written to a file). */
  write(chunk: string | Uint8Array): boolean;
  once?(event: 'drain', listener: () => void): unknown;
}

export interface IO {
  stdout: OutStream;
  stderr: OutStream;
  stdin: NodeJS.ReadableStream;
  stdoutIsTTY: boolean;
  stderrIsTTY: boolean;
  stdinIsTTY: boolean;
  /** Terminal width when stdout is a terminal. */
  columns?: number;
}

export interface Clock {
  now(): number;
  /** Resolves after `ms`, or rejects with the signal's reason when it aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export interface Choice<T extends string = string> {
  name: string;
  value: T;
  description?: string;
}

/** Interactive questions. Only ever called when stdin and stdout are terminals. */
export interface Prompter {
  confirm(message: string, defaultValue?: boolean): Promise<boolean>;
  /** Hidden input (secrets, PINs). */
  password(message: string): Promise<string>;
  input(message: string, options?: { default?: string; validate?: (v: string) => true | string }): Promise<string>;
  select<T extends string>(message: string, choices: Choice<T>[], defaultValue?: T): Promise<T>;
}

export interface Deps {
  io: IO;
  env: Env;
  clock: Clock;
  /** Loaded on first use: inquirer costs ~100 ms of start-up. */
  prompter: () => Promise<Prompter>;
  /** Aborted on Ctrl-C / SIGTERM. */
  signal: AbortSignal;
  /** Secrets seen in this run, scrubbed from every log line and error message. */
  redactor: Redactor;
  /** Test seam: the undici dispatcher to use for an origin (default: one keep-alive Pool each). */
  dispatcherFor?: (origin: string) => Dispatcher;
  /** Home directory, for the default config location. */
  homeDir: string;
  platform: NodeJS.Platform;
  /** The command that runs this program again (node and the bin), for one process per profile. */
  self?: string[];
  /** Runs `fn` synchronously if the process exits abruptly (a second Ctrl-C); returns an unregister. */
  onExit: (fn: () => void) => () => void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const onAbort = () => {
        clearTimeout(timer);
        reject(signal?.reason);
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};

/** Prompts only make sense when a person is at both ends. */
export function canPrompt(io: IO): boolean {
  return io.stdinIsTTY && io.stdoutIsTTY;
}

/** Writes to a stream, waiting for 'drain' when the consumer is slower than us (constant memory). */
export async function writeOut(stream: OutStream, text: string | Uint8Array): Promise<void> {
  if (!stream.write(text) && stream.once) {
    await new Promise<void>((resolve) => stream.once!('drain', resolve));
  }
}
