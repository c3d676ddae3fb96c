// The built binary killed mid-import (Ctrl-C, then SIGKILL with creates in flight) and resumed:
// every customer exactly once. The sandbox runs as its own process, as a shop's server would.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, poscust, startSandboxProcess, type SandboxProcess } from '../helpers/e2e.js';
import { tempDir } from '../helpers/harness.js';
import { csvOf, people } from '../import/helpers.js';

let sb: SandboxProcess;
beforeAll(async () => {
  sb = await startSandboxProcess(['--seed', '0', '--latency', '10']);
});
afterAll(async () => {
  await sb?.stop();
});

/** Starts an import and sends `signal` once the journal holds `lines` rows. */
function importUntil(args: string[], journal: string, lines: number, signal: NodeJS.Signals): Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { PATH: process.env.PATH ?? '', ...sb.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const poll = setInterval(() => {
      if (existsSync(journal) && readFileSync(journal, 'utf8').split('\n').length > lines) {
        clearInterval(poll);
        child.kill(signal);
      }
    }, 10);
    child.on('error', reject);
    child.on('close', (code, sig) => {
      clearInterval(poll);
      resolve({ code, signal: sig, stdout, stderr });
    });
  });
}

describe('import killed and resumed (built binary, sandbox process)', () => {
  it('Ctrl-C: exit 130 with the summary and how to resume; SIGKILL: resume still creates nobody twice', async () => {
    const dir = tempDir('poscust-resume-');
    const file = join(dir, 'customers.csv');
    const rows = people(1200, 1, 'R');
    writeFileSync(file, csvOf(rows));
    const journal = `${file}.poscust-journal`;
    const args = ['import', file, '--mode', 'create', '--key', 'code', '--json'];

    const interrupted = await importUntil(args, journal, 200, 'SIGINT');
    expect(interrupted.code).toBe(130);
    const first = JSON.parse(interrupted.stdout) as { created: number };
    expect(first.created).toBeGreaterThan(0);
    expect(interrupted.stderr).toContain(`--mode create --key code --resume`);

    // Killed outright while creates are in flight: their start lines are in the journal.
    const killed = await importUntil([...args, '--resume'], journal, 600, 'SIGKILL');
    expect(killed.signal).toBe('SIGKILL');
    const text = readFileSync(journal, 'utf8');
    expect(text).toMatch(/^s \d+$/m);

    const resumed = await poscust([...args, '--resume'], { env: sb.env });
    expect(resumed.stderr).toBe('');
    expect(resumed.code).toBe(0);
    expect(JSON.parse(resumed.stdout)).toMatchObject({ created: 1200, failed: 0, rejected: 0 });
    expect(existsSync(journal)).toBe(false);

    const customers = await sb.control<{ Code: string; Name: string }[]>('/_sandbox/customers');
    const codes = customers.map((c) => c.Code).filter((c) => c.startsWith('R'));
    expect(codes).toHaveLength(1200);
    expect(new Set(codes).size).toBe(1200);
    const names = new Map(customers.map((c) => [c.Code, c.Name]));
    for (const p of rows) expect(names.get(p.Code)).toBe(p.Name);
  });

  it('prints progress on a terminal only: a cron job sees nothing on stderr', async () => {
    const dir = tempDir('poscust-cron-');
    const file = join(dir, 'c.csv');
    writeFileSync(file, csvOf(people(20, 1, 'CRON')));
    const r = await poscust(['import', file, '--mode', 'create'], { env: sb.env });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^created {4}20\n/);
  });
});
