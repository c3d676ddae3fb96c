// Start-up is measured by `npm run bench`, never by timed tests; this test guards what start-up
// loads. Each Node built-in below costs milliseconds on every command (measured when the bundle
// was tuned) and none is needed to look a customer up. A change that brings one back fails here.
import { spawnSync } from 'node:child_process';
import { writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { BIN, startSandboxProcess, type SandboxProcess } from '../helpers/e2e.js';
import { tempDir } from '../helpers/harness.js';

const NOT_ON_THE_READ_PATH = ['crypto', 'http2', 'child_process', 'worker_threads', 'zlib', 'tls', 'fs/promises', 'readline'];

let sb: SandboxProcess;
const dir = tempDir();
const hook = join(dir, 'modules-hook.cjs');
beforeAll(async () => {
  sb = await startSandboxProcess(['--seed', '5']);
  writeFileSync(hook, "process.on('exit', () => require('fs').writeFileSync(process.env.MODULES_OUT, process.moduleLoadList.join('\\n')));\n");
});
afterAll(async () => {
  await sb?.stop();
});

function modulesOf(args: string[]): string[] {
  const out = join(dir, `modules-${args[0]}.txt`);
  const r = spawnSync(process.execPath, ['-r', hook, BIN, ...args], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...sb.env, MODULES_OUT: out },
    encoding: 'utf8',
  });
  expect(r.status, r.stderr).toBe(0);
  return readFileSync(out, 'utf8').split('\n');
}

it('loads no heavy Node built-in to get a customer (cached token)', () => {
  modulesOf(['count']); // logs in and caches the token
  const loaded = modulesOf(['get', '--code', 'C-00001', '--format', 'json']);
  expect(loaded).toContain('NativeModule net');
  for (const name of NOT_ON_THE_READ_PATH) expect(loaded, name).not.toContain(`NativeModule ${name}`);
});

it('answers --version without starting the ES module loader', () => {
  const loaded = modulesOf(['--version']);
  expect(loaded.some((m) => m.includes('internal/modules/esm/module_job'))).toBe(false);
});
