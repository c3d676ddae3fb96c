// README promises `npm run demo` works on a fresh machine: keep it true.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { ROOT } from '../helpers/e2e.js';

it('runs the guided tour against the sandbox and exits 0', () => {
  const r = spawnSync(process.execPath, [join(ROOT, 'scripts', 'demo.mjs')], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: '1' },
    timeout: 120_000,
  });
  expect(r.stderr).not.toContain('did not behave as expected');
  expect(r.status).toBe(0);
  expect(r.stdout).toContain('$ poscust count\n200\n');
  expect(r.stdout).toContain('C-00007');
  expect(r.stdout).toContain('(exit 3, as documented)');
  expect(r.stdout).toContain('"created":0,"updated":0,"unchanged":296,"rejected":4');
  expect(r.stdout).toContain('(496 customers in all.csv)');
  expect(r.stdout).not.toContain('sandbox-secret');
}, 120_000);
