// End-to-end helpers: the built binary (`bin/poscust.cjs`, as users run it) against `poscust
// sandbox` running as its own process, over real HTTP on loopback.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { credentialEnv } from './cli-sandbox.js';
import { tempDir } from './harness.js';

export const ROOT = join(import.meta.dirname, '..', '..');
export const BIN = join(ROOT, 'bin', 'poscust.cjs');

export interface SandboxInfo {
  backend: string;
  baseUrl: string;
  origin: string;
  port: number;
  clientId: string;
  clientSecret: string;
  [key: string]: unknown;
}

export interface SandboxProcess {
  info: SandboxInfo;
  child: ChildProcess;
  /** Environment that points poscust at this sandbox with its credentials, and a private config dir. */
  env: Record<string, string>;
  /** Calls a control endpoint (`/_sandbox/...`). */
  control<T = unknown>(path: string, init?: { method?: string; body?: unknown }): Promise<T>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export async function startSandboxProcess(args: string[] = []): Promise<SandboxProcess> {
  const child = spawn(process.execPath, [BIN, 'sandbox', '--format', 'json', '--port', '0', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NO_COLOR: '1' },
  });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const line = await new Promise<string>((resolve, reject) => {
    const rl = createInterface({ input: child.stdout! });
    rl.once('line', (l) => {
      rl.close();
      resolve(l);
    });
    child.once('exit', (code) => reject(new Error(`sandbox exited ${code}: ${stderr}`)));
  });
  const info = JSON.parse(line) as SandboxInfo;
  const env: Record<string, string> = {
    POSCUST_BACKEND: info.backend,
    POSCUST_BASE_URL: info.baseUrl,
    POSCUST_CONFIG_DIR: tempDir('poscust-e2e-cfg-'),
    ...credentialEnv(info),
  };
  return {
    info,
    child,
    env,
    async control<T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
      const res = await fetch(`${info.origin}${path}`, {
        method: init.method ?? 'GET',
        headers: init.body === undefined ? {} : { 'content-type': 'application/json' },
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
      });
      const text = await res.text();
      if (!res.ok) throw new Error(`${path}: ${res.status} ${text}`);
      return (text ? JSON.parse(text) : null) as T;
    },
    stop(signal: NodeJS.Signals = 'SIGTERM') {
      return new Promise((resolve) => {
        if (child.exitCode !== null) return resolve(child.exitCode);
        child.once('exit', (code) => resolve(code));
        child.kill(signal);
      });
    },
  };
}

export interface ProcessResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs the built binary with a clean environment (no terminal), like a cron job would. */
export function poscust(
  args: string[],
  options: { env?: Record<string, string | undefined>; input?: string; timeoutMs?: number } = {},
): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    const env: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp' };
    for (const [k, v] of Object.entries(options.env ?? {})) if (v !== undefined) env[k] = v;
    const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
    child.stdin.end(options.input ?? '');
  });
}
