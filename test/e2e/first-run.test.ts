// A new user's first minutes with the built binary: every API command explains in two lines what
// to do, then `poscust profile add` on a real pseudo-terminal walks through the fields, refuses a
// wrong secret, takes the right one, and the profile works.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { poscust, startSandboxProcess, type SandboxProcess } from '../helpers/e2e.js';
import { tempDir } from '../helpers/harness.js';
import { hasScript, runInPty } from '../helpers/pty.js';

let sb: SandboxProcess;
beforeAll(async () => {
  sb = await startSandboxProcess(['--seed', '5']);
});
afterAll(async () => {
  await sb.stop();
});

describe('first run', () => {
  it('explains in two lines how to add a profile or try the sandbox, exit 2, for any API command', async () => {
    const env = { POSCUST_CONFIG_DIR: join(tempDir(), 'poscust') };
    for (const args of [['list'], ['count'], ['get', '--code', 'X'], ['suspend', '--code', 'X'], ['doctor']]) {
      const r = await poscust(args, { env });
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stdout).toBe('');
      const lines = r.stderr.trimEnd().split('\n');
      expect(lines, r.stderr).toHaveLength(2);
      expect(lines[0]).toMatch(/^poscust: no profile yet; add one with `poscust profile add`/);
      expect(lines[1]).toContain('poscust sandbox');
    }
    expect(existsSync(env.POSCUST_CONFIG_DIR)).toBe(false);
  });

  it('profile add on a terminal: asks each field, refuses a wrong secret, saves the right one', async () => {
    expect(hasScript(), 'util-linux `script` is needed for the pseudo-terminal tests').toBe(true);
    const configDir = join(tempDir(), 'poscust');
    const r = await runInPty(['profile', 'add'], { POSCUST_CONFIG_DIR: configDir }, [
      { waitFor: 'Profile name', type: '\r' },
      { waitFor: 'Point-of-sale backend', type: '\r' },
      { waitFor: 'Base URL', type: `${sb.info.baseUrl}\r` },
      { waitFor: 'Client ID', type: `${sb.info.clientId}\r` },
      { waitFor: 'Client secret', type: 'wrong-secret-typed\r' },
      { waitFor: /refused[\s\S]*Client secret/, type: `${sb.info.clientSecret}\r` },
    ]);
    expect(r.code, r.screen).toBe(0);
    expect(r.screen).toContain('That client secret was refused; type it again');
    expect(r.screen).toContain("saved profile 'shop' (default)");
    // Hidden input: neither secret is ever shown.
    expect(r.screen).not.toContain('wrong-secret-typed');
    expect(r.screen).not.toContain(sb.info.clientSecret);
    const store = JSON.parse(readFileSync(join(configDir, 'config.json'), 'utf8'));
    expect(store.profiles.shop).toEqual({ backend: 'dealpos', baseUrl: sb.info.baseUrl, clientId: sb.info.clientId, clientSecret: sb.info.clientSecret });

    const count = await poscust(['count'], { env: { POSCUST_CONFIG_DIR: configDir } });
    expect(count).toMatchObject({ code: 0, stdout: '5\n' });
  });
});
