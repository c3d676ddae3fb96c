import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveConnection } from '../../src/backends/connection.js';
import { runCli, tempDir } from '../helpers/harness.js';

const SECRET = 'dp-secret-0123456789abcdef';

async function addDealpos(configDir: string, name = 'shop', extra: string[] = []) {
  return runCli(
    ['profile', 'add', name, '--backend', 'dealpos', '--base-url', 'myshop', '--client-id', 'cid-1', '--client-secret-stdin', ...extra],
    { configDir, stdin: `${SECRET}\n` },
  );
}

describe('profile add / list / show / use / remove', () => {
  it('stores a profile with the secret from stdin, owner-only, and makes the first one default', async () => {
    const configDir = join(tempDir(), 'nested', 'poscust');
    const r = await addDealpos(configDir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const file = join(configDir, 'config.json');
    expect(statSync(configDir).mode & 0o777).toBe(0o700);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const data = JSON.parse(readFileSync(file, 'utf8'));
    expect(data).toEqual({
      defaultProfile: 'shop',
      profiles: {
        shop: { backend: 'dealpos', baseUrl: 'https://myshop.dealpos.net/api/v3', clientId: 'cid-1', clientSecret: SECRET },
      },
    });
  });

  it('never takes the secret without a terminal unless told where: exit 2 naming the flag', async () => {
    const configDir = tempDir();
    const r = await runCli(['profile', 'add', 'shop', '--backend', 'dealpos', '--base-url', 'myshop', '--client-id', 'c'], { configDir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--client-secret-stdin');
    expect(existsSync(join(configDir, 'config.json'))).toBe(false);
  });

  it('asks for the secret with a hidden prompt on a terminal', async () => {
    const configDir = tempDir();
    const asked: string[] = [];
    // --no-check: this test is about the prompt; checking the credentials has tests of its own.
    const r = await runCli(['profile', 'add', 'shop', '--backend', 'mypos', '--base-url', 'https://api.myposconnect.com/api/v2', '--username', 'api@shop.test', '--no-check'], {
      configDir,
      tty: true,
      prompter: {
        password: async (m) => {
          asked.push(m);
          return 'typed-password';
        },
      },
    });
    expect(r.code).toBe(0);
    expect(asked).toEqual(['Password:']);
    expect(JSON.parse(readFileSync(join(configDir, 'config.json'), 'utf8')).profiles.shop.password).toBe('typed-password');
  });

  it('shows a profile with secrets masked, lists them, switches and removes', async () => {
    const configDir = tempDir();
    await addDealpos(configDir, 'shop');
    await addDealpos(configDir, 'other');
    const show = await runCli(['profile', 'show', 'shop', '--json'], { configDir });
    expect(JSON.parse(show.stdout)).toMatchObject({ name: 'shop', clientSecret: '********', default: true });
    expect(show.stdout + show.stderr).not.toContain(SECRET);

    expect((await runCli(['profile', 'use', 'other'], { configDir })).code).toBe(0);
    const list = await runCli(['profile', 'list', '--format', 'json'], { configDir });
    expect(JSON.parse(list.stdout)).toEqual([
      { name: 'shop', backend: 'dealpos', baseUrl: 'https://myshop.dealpos.net/api/v3', default: false },
      { name: 'other', backend: 'dealpos', baseUrl: 'https://myshop.dealpos.net/api/v3', default: true },
    ]);

    expect((await runCli(['profile', 'remove', 'other'], { configDir })).code).toBe(0);
    const after = JSON.parse(readFileSync(join(configDir, 'config.json'), 'utf8'));
    expect(Object.keys(after.profiles)).toEqual(['shop']);
    expect(after.defaultProfile).toBeUndefined();
  });

  it('exits 3 for an unknown profile, 5 for a duplicate name, 2 for a bad base URL', async () => {
    const configDir = tempDir();
    await addDealpos(configDir);
    const show = await runCli(['profile', 'show', 'nope'], { configDir });
    expect(show.code).toBe(3);
    expect(show.stderr).toContain("no profile named 'nope'; known profiles: shop");
    expect((await addDealpos(configDir)).code).toBe(5);
    expect((await addDealpos(configDir, 'shop', ['--force'])).code).toBe(0);
    const bad = await runCli(['profile', 'add', 'x', '--backend', 'portos', '--base-url', 'ftp://h', '--username', 'u', '--device-name', 'd', '--password-stdin'], {
      configDir,
      stdin: 'pw',
    });
    expect(bad.code).toBe(2);
  });

  it('refuses a damaged store with the file named, and leaves it untouched', async () => {
    const configDir = tempDir();
    const file = join(configDir, 'config.json');
    writeFileSync(file, '{"profiles": {"shop": ', { mode: 0o600 });
    for (const argv of [['profile', 'list'], ['list'], ['profile', 'add', 'n', '--backend', 'dealpos', '--base-url', 'x', '--client-id', 'c', '--client-secret-stdin']]) {
      const r = await runCli(argv, { configDir, stdin: 'secret-value' });
      expect(r.code, argv.join(' ')).toBe(1);
      expect(r.stderr).toContain(file);
      expect(r.stderr).toContain('damaged');
    }
    expect(readFileSync(file, 'utf8')).toBe('{"profiles": {"shop": ');
  });

  it('refuses a store other users can read, and says the chmod', async () => {
    const configDir = tempDir();
    await addDealpos(configDir);
    const file = join(configDir, 'config.json');
    chmodSync(file, 0o644);
    const r = await runCli(['list'], { configDir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`chmod 600 '${file}'`);
  });
});

describe('connection resolution', () => {
  const store = {
    defaultProfile: 'shop',
    profiles: {
      shop: { backend: 'dealpos' as const, baseUrl: 'https://a.dealpos.net/api/v3', clientId: 'p-id', clientSecret: 'p-secret' },
      lan: { backend: 'portos' as const, baseUrl: 'http://10.0.0.5', username: 'u', password: 'p', deviceName: 'd', allowInsecureHttp: true },
    },
  };

  it('takes --profile over POSCUST_PROFILE over the default, and env fields over the profile', () => {
    expect(resolveConnection({ env: {}, store: () => store }).profileName).toBe('shop');
    expect(resolveConnection({ env: { POSCUST_PROFILE: 'lan' }, store: () => store }).profileName).toBe('lan');
    const c = resolveConnection({ profileFlag: 'shop', env: { POSCUST_PROFILE: 'lan', POSCUST_CLIENT_SECRET: 'env-secret' }, store: () => store });
    expect(c.profileName).toBe('shop');
    expect(c.clientSecret).toBe('env-secret');
    expect(c.clientId).toBe('p-id');
  });

  it('needs no store at all when the environment is complete', () => {
    const c = resolveConnection({
      env: { POSCUST_BACKEND: 'mypos', POSCUST_BASE_URL: 'https://api.myposconnect.com/api/v2/', POSCUST_USERNAME: 'u', POSCUST_PASSWORD: 'p' },
      store: () => {
        throw new Error('store read');
      },
    });
    expect(c).toMatchObject({ backend: 'mypos', baseUrl: 'https://api.myposconnect.com/api/v2', username: 'u', profileName: null });
  });

  it('explains the first run in two lines with exit 2', async () => {
    const r = await runCli(['count']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('poscust profile add');
    expect(r.stderr).toContain('poscust sandbox');
  });

  it('refuses plain http to another host unless allowed; loopback is fine', () => {
    const env = { POSCUST_BACKEND: 'dealpos', POSCUST_BASE_URL: 'http://shop.example.com/api/v3' };
    expect(() => resolveConnection({ env, store: () => ({ profiles: {} }) })).toThrow(/plain http/);
    expect(resolveConnection({ env, store: () => ({ profiles: {} }), allowInsecureHttp: true }).baseUrl).toBe('http://shop.example.com/api/v3');
    expect(resolveConnection({ env: { ...env, POSCUST_BASE_URL: 'http://127.0.0.1:8080/api/v3' }, store: () => ({ profiles: {} }) }).baseUrl).toBe(
      'http://127.0.0.1:8080/api/v3',
    );
    expect(resolveConnection({ env: {}, profileFlag: 'lan', store: () => store }).baseUrl).toBe('http://10.0.0.5');
  });

  it('names the missing variable when the environment is half set', () => {
    expect(() => resolveConnection({ env: { POSCUST_BACKEND: 'dealpos' }, store: () => ({ profiles: {} }) })).toThrow(/POSCUST_BASE_URL/);
  });

  it('stores a token cache owner-only', async () => {
    const configDir = tempDir();
    mkdirSync(configDir, { recursive: true });
    const { TokenCache } = await import('../../src/config/token-cache.js');
    const cache = new TokenCache(configDir, ['dealpos', 'u', 'c']);
    cache.write({ token: 't', expiresAt: Date.now() + 3_600_000 });
    expect(statSync(cache.file).mode & 0o777).toBe(0o600);
    expect(cache.read(Date.now())?.token).toBe('t');
    expect(cache.read(Date.now() + 3_590_000)).toBeUndefined();
    chmodSync(cache.file, 0o640);
    expect(() => cache.read(Date.now())).toThrow(/chmod 600/);
  });
});
