// Issue 10, item 8: the token cache trusts no folder someone else could have prepared: a planted
// `tokens` link is refused (and its target left alone), so is a config folder others can write;
// doctor reports both.
import { chmodSync, existsSync, mkdirSync, readdirSync, statSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCliSandbox, type CliSandbox } from '../helpers/cli-sandbox.js';
import { tempDir } from '../helpers/harness.js';

let shop: CliSandbox;
beforeAll(async () => {
  shop = await startCliSandbox('dealpos');
});
afterAll(() => shop.sb.close());

describe('the token cache folder', () => {
  it('refuses a planted tokens link before any login, and leaves its target as it was', async () => {
    const configDir = tempDir();
    const target = tempDir('poscust-attacker-');
    chmodSync(target, 0o777);
    symlinkSync(target, join(configDir, 'tokens'));
    const r = await shop.run(['count'], { configDir });
    expect(r.result.code).toBe(1);
    expect(r.result.stderr).toContain(`${join(configDir, 'tokens')} is a symbolic link`);
    expect(r.logins).toHaveLength(0);
    expect(readdirSync(target)).toEqual([]);
    expect(statSync(target).mode & 0o777).toBe(0o777);
  });

  it('refuses a config folder that other users can write, naming the chmod', async () => {
    const configDir = tempDir();
    chmodSync(configDir, 0o777);
    const r = await shop.run(['count'], { configDir });
    expect(r.result.code).toBe(1);
    expect(r.result.stderr).toContain(`other users can write to ${configDir}`);
    expect(r.result.stderr).toContain(`chmod 700 '${configDir}'`);
    expect(existsSync(join(configDir, 'tokens'))).toBe(false);
  });

  it('makes the tokens folder 0700 in a safe config folder, as before', async () => {
    const configDir = tempDir();
    const r = await shop.run(['count'], { configDir });
    expect(r.result.code, r.result.stderr).toBe(0);
    expect(statSync(join(configDir, 'tokens')).mode & 0o777).toBe(0o700);
  });

  it('doctor fails the config check on a tokens link', async () => {
    const configDir = tempDir();
    mkdirSync(join(configDir, 'real'));
    symlinkSync(join(configDir, 'real'), join(configDir, 'tokens'));
    const r = await shop.run(['doctor', '--format', 'json'], { configDir });
    expect(r.result.code).toBe(1);
    const rows = JSON.parse(r.result.stdout) as { check: string; status: string; message: string }[];
    expect(rows[0]).toMatchObject({ check: 'config', status: 'fail' });
    expect(rows[0]!.message).toContain('is a symbolic link');
  });
});
