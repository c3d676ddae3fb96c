// Issue 11, item 5: two imports of the same file at once, with the built binary. The second is
// told another one is running (exit 75) and touches nothing; the first finishes with no false
// "already exists"; a lock left by a killed import does not block the next one.
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, poscust, startSandboxProcess, type SandboxProcess } from '../helpers/e2e.js';
import { tempDir } from '../helpers/harness.js';

let sb: SandboxProcess;
beforeAll(async () => {
  sb = await startSandboxProcess(['--seed', '0', '--latency', '20']);
});
afterAll(() => sb.stop());

function csv(n: number, prefix: string): string {
  return `Code,Name\n${Array.from({ length: n }, (_, i) => `${prefix}${i},Name ${i}`).join('\n')}\n`;
}

describe('one import of a file at a time', () => {
  it('refuses a second import of the same file while the first runs (exit 75, pid named), and the first is unharmed', async () => {
    const dir = tempDir();
    const file = join(dir, 'q.csv');
    writeFileSync(file, csv(120, 'Q'));
    const env = { ...sb.env, POSCUST_CONFIG_DIR: join(dir, 'cfg') };
    const writes = async () => (await sb.control<{ writes: number }>('/_sandbox/stats')).writes;
    const before = await writes();
    const first = spawn(process.execPath, [BIN, 'import', file, '--mode', 'create', '--concurrency', '2', '--format', 'json'], {
      env: { PATH: process.env.PATH ?? '', HOME: dir, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    first.stdout.on('data', (d) => (out += d));
    const done = new Promise<number | null>((resolve) => first.on('close', resolve));
    // Wait until the first one holds its lock.
    for (let i = 0; i < 250 && (await writes()) === before; i++) await new Promise((r) => setTimeout(r, 20));
    const second = await poscust(['import', file, '--mode', 'create', '--resume'], { env });
    expect(second.code).toBe(75);
    expect(second.stderr).toContain(`another import of ${file} is running (pid ${first.pid})`);
    expect(await done).toBe(0);
    expect(JSON.parse(out)).toMatchObject({ created: 120, rejected: 0, failed: 0 });
  });

  it('takes over a lock left by an import that was killed', async () => {
    const dir = tempDir();
    const file = join(dir, 'k.csv');
    writeFileSync(file, csv(5, 'K'));
    // A lock whose owner is gone (a pid that cannot be running: pid_max is below 2^22).
    writeFileSync(`${file}.poscust-journal.lock`, JSON.stringify({ pid: 4_194_304 + 17, started: 1 }));
    const r = await poscust(['import', file, '--mode', 'create', '--format', 'json'], { env: { ...sb.env, POSCUST_CONFIG_DIR: join(dir, 'cfg') } });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ created: 5 });
    expect(() => readFileSync(`${file}.poscust-journal.lock`)).toThrow();
  });
});
