// In-process runs of the CLI: captured streams, a fake clock, and an HTTP transport that fails on
// any request no test expected (undici MockAgent with the network disabled).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { MockAgent, type Dispatcher } from 'undici';
import { run } from '../../src/app.js';
import type { Clock, Deps, Prompter } from '../../src/deps.js';
import { Redactor } from '../../src/redact.js';

export class Capture {
  text = '';
  write(chunk: string): boolean {
    this.text += chunk;
    return true;
  }
}

export class FakeClock implements Clock {
  sleeps: number[] = [];
  constructor(public time = Date.UTC(2026, 10, 22, 9, 0, 0)) {}
  now(): number {
    return this.time;
  }
  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) throw signal.reason;
    this.sleeps.push(ms);
    this.time += ms;
  }
}

export interface RunOptions {
  env?: Record<string, string | undefined>;
  stdin?: string;
  /** Pretend stdin, stdout and stderr are terminals. */
  tty?: boolean;
  dispatcher?: MockAgent | Dispatcher;
  clock?: Clock;
  prompter?: Partial<Prompter>;
  signal?: AbortSignal;
  configDir?: string;
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function tempDir(prefix = 'poscust-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function strictAgent(): MockAgent {
  const agent = new MockAgent({ enableCallHistory: true });
  agent.disableNetConnect();
  return agent;
}

export async function runCli(argv: string[], options: RunOptions = {}): Promise<RunResult> {
  const stdout = new Capture();
  const stderr = new Capture();
  const tty = options.tty ?? false;
  const stdin = options.stdin !== undefined ? Readable.from([options.stdin]) : new PassThrough().end();
  const configDir = options.configDir ?? tempDir('poscust-cfg-');
  const deps: Deps = {
    io: { stdout, stderr, stdin, stdoutIsTTY: tty, stderrIsTTY: tty, stdinIsTTY: tty },
    env: { POSCUST_CONFIG_DIR: configDir, ...options.env },
    clock: options.clock ?? new FakeClock(),
    prompter: async () => {
      const p = options.prompter ?? {};
      const missing = (name: string) => async () => {
        throw new Error(`test did not expect a ${name} prompt`);
      };
      return {
        confirm: p.confirm ?? missing('confirm'),
        password: p.password ?? missing('password'),
        input: p.input ?? missing('input'),
        select: p.select ?? (missing('select') as Prompter['select']),
      };
    },
    signal: options.signal ?? new AbortController().signal,
    redactor: new Redactor(),
    dispatcherFor: options.dispatcher
      ? (origin) => (options.dispatcher instanceof MockAgent ? options.dispatcher.get(origin) : options.dispatcher!)
      : undefined,
    homeDir: tempDir('poscust-home-'),
    platform: process.platform,
    onExit: () => () => undefined,
  };
  const code = await run(argv, deps);
  return { code, stdout: stdout.text, stderr: stderr.text };
}

/** Environment for a DealPOS connection without a profile. */
export function dealposEnv(baseUrl = 'https://shop.dealpos.test/api/v3'): Record<string, string> {
  return {
    POSCUST_BACKEND: 'dealpos',
    POSCUST_BASE_URL: baseUrl,
    POSCUST_CLIENT_ID: 'client-1',
    POSCUST_CLIENT_SECRET: 'super-secret-value-123',
  };
}
