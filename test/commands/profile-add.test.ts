// profile add on a terminal (answers from an injected prompter) against an in-process sandbox over
// real loopback HTTP: the walk through the fields, the credential check before saving, a refused
// secret asked again, and the flag-driven behaviour without a terminal.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Choice } from '../../src/deps.js';
import { startSandbox, type RunningSandbox } from '../../src/sandbox/index.js';
import { runCli, tempDir, type RunOptions } from '../helpers/harness.js';

let sb: RunningSandbox;
beforeAll(async () => {
  sb = await startSandbox({ seed: 3, closeGraceMs: 0 });
});
afterAll(async () => {
  await sb.close();
});

interface Asked {
  kind: string;
  message: string;
  default?: string | boolean;
}

/** A prompter that answers by question text (a queue per question) and records what it was asked. */
function answering(answers: Record<string, (string | boolean)[]>): { asked: Asked[]; prompter: RunOptions['prompter'] } {
  const asked: Asked[] = [];
  const next = (kind: string, message: string, def?: string | boolean): string | boolean => {
    asked.push({ kind, message, default: def });
    const key = Object.keys(answers).find((k) => message.includes(k));
    const queue = key === undefined ? undefined : answers[key];
    if (!queue || queue.length === 0) throw new Error(`unexpected ${kind} prompt: ${message}`);
    return queue.shift()!;
  };
  return {
    asked,
    prompter: {
      // Like inquirer, an answer the validator refuses is said and asked again.
      input: async (message, o) => {
        for (;;) {
          const answer = next('input', message, o?.default);
          const value = answer === '' ? (o?.default ?? '') : String(answer);
          const valid = o?.validate?.(value) ?? true;
          if (valid === true) return value;
          asked.push({ kind: 'refused', message: valid });
        }
      },
      password: async (message) => String(next('password', message)),
      confirm: async (message, def) => Boolean(next('confirm', message, def)),
      select: async <T extends string>(message: string, choices: Choice<T>[], def?: T) => {
        const answer = String(next('select', message, def));
        const choice = choices.find((c) => c.value === (answer === '' ? def : answer));
        if (!choice) throw new Error(`no choice '${answer}' in ${choices.map((c) => c.value).join(', ')}`);
        return choice.value;
      },
    },
  };
}

function stored(configDir: string): Record<string, unknown> | undefined {
  const file = join(configDir, 'config.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>) : undefined;
}

const tokenRequests = () => sb.requests.filter((r) => /\/token\/oauth2$/i.test(r.path));

describe('profile add on a terminal', () => {
  it('walks through every field, checks the credentials by logging in and reading, then saves', async () => {
    const configDir = tempDir();
    const { asked, prompter } = answering({
      'Profile name': [''],
      'Point-of-sale backend': [''],
      'Base URL': [sb.baseUrl],
      'Client ID': [sb.credentials.clientId!],
      'Client secret': [sb.credentials.clientSecret!],
    });
    const before = sb.requests.length;
    const r = await runCli(['profile', 'add'], { configDir, tty: true, prompter });
    expect(r.code, r.stderr).toBe(0);
    expect(asked.map((a) => [a.kind, a.default])).toEqual([
      ['input', 'shop'],
      ['select', 'dealpos'],
      ['input', undefined],
      ['input', undefined],
      ['password', undefined],
    ]);
    // One login and a one-row read, then the save.
    const sent = sb.requests.slice(before).map((q) => `${q.method} ${q.path}`);
    expect(sent).toEqual(['POST /api/v3/Token/OAuth2', 'GET /api/v3/Customer']);
    expect(stored(configDir)).toEqual({
      defaultProfile: 'shop',
      profiles: { shop: { backend: 'dealpos', baseUrl: sb.baseUrl, clientId: sb.credentials.clientId, clientSecret: sb.credentials.clientSecret } },
    });
    expect(r.stderr).toContain("saved profile 'shop' (default)");
    expect(r.stdout).toBe('');
    // The check's token is cached for the new profile: the next command does not log in again.
    const logins = tokenRequests().length;
    expect((await runCli(['count'], { configDir })).code).toBe(0);
    expect(tokenRequests().length).toBe(logins);
  });

  it('says a refused secret plainly and asks again; the right one is saved', async () => {
    const configDir = tempDir();
    const { asked, prompter } = answering({
      'Client secret': ['wrong-secret-1', sb.credentials.clientSecret!],
    });
    const r = await runCli(['profile', 'add', 'shop', '--backend', 'dealpos', '--base-url', sb.baseUrl, '--client-id', sb.credentials.clientId!], {
      configDir,
      tty: true,
      prompter,
    });
    expect(r.code, r.stderr).toBe(0);
    expect(asked.filter((a) => a.kind === 'password')).toHaveLength(2);
    expect(r.stderr).toMatch(/refused the client credentials/);
    expect(r.stderr).toContain('That client secret was refused; type it again (2 tries left');
    expect(r.stderr).not.toContain('wrong-secret-1');
    expect((stored(configDir)?.profiles as Record<string, Record<string, string>>).shop!.clientSecret).toBe(sb.credentials.clientSecret);
  });

  it('gives up after three refused secrets with exit 4 and saves nothing', async () => {
    const configDir = tempDir();
    const { asked, prompter } = answering({ 'Client secret': ['bad-one-1', 'bad-one-2', 'bad-one-3'] });
    const r = await runCli(['profile', 'add', 'shop', '--backend', 'dealpos', '--base-url', sb.baseUrl, '--client-id', 'nobody'], { configDir, tty: true, prompter });
    expect(r.code).toBe(4);
    expect(asked).toHaveLength(3);
    expect(r.stderr).toContain('the profile was not saved');
    expect(r.stderr).toContain('check the client id and the client secret');
    expect(r.stderr).not.toMatch(/bad-one-\d/);
    expect(stored(configDir)).toBeUndefined();
  });

  it('asks before saving a profile it could not check (shop unreachable): no is exit 75, yes saves', async () => {
    const closed = await startSandbox({ seed: 0, closeGraceMs: 0 });
    const deadUrl = closed.baseUrl;
    await closed.close();
    const args = ['profile', 'add', 'shop', '--backend', 'dealpos', '--base-url', deadUrl, '--client-id', 'c1', '--timeout', '2'];
    const no = answering({ 'Client secret': ['some-secret'], 'Save the profile anyway': [false] });
    const configDir = tempDir();
    const r = await runCli(args, { configDir, tty: true, prompter: no.prompter });
    expect(r.code).toBe(75);
    expect(no.asked.at(-1)).toMatchObject({ kind: 'confirm', default: false });
    expect(no.asked.at(-1)!.message).toContain('connection refused');
    expect(stored(configDir)).toBeUndefined();

    const yes = answering({ 'Client secret': ['some-secret'], 'Save the profile anyway': [true] });
    expect((await runCli(args, { configDir, tty: true, prompter: yes.prompter })).code).toBe(0);
    expect(Object.keys(stored(configDir)!.profiles as object)).toEqual(['shop']);
  }, 20_000);

  it('asks before allowing plain http to another host, and asks for the URL again on no', async () => {
    const configDir = tempDir();
    const { asked, prompter } = answering({
      'Base URL': ['http://10.0.0.5', 'http://10.0.0.6'],
      'plain http://': [false, true],
      'User name': ['manager'],
      'Device name': ['till-1'],
      Password: ['pw-1234'],
    });
    const r = await runCli(['profile', 'add', 'lan', '--backend', 'portos', '--no-check'], { configDir, tty: true, prompter });
    expect(r.code, r.stderr).toBe(0);
    expect(asked.filter((a) => a.kind === 'confirm').map((a) => a.default)).toEqual([false, false]);
    expect((stored(configDir)!.profiles as Record<string, unknown>).lan).toEqual({
      backend: 'portos',
      baseUrl: 'http://10.0.0.6',
      username: 'manager',
      deviceName: 'till-1',
      password: 'pw-1234',
      allowInsecureHttp: true,
    });
  });

  it('offers the MYPOS base URL as the default, and refuses a name that exists or a bad URL', async () => {
    const configDir = tempDir();
    const first = answering({ 'Base URL': [''], 'API user e-mail': ['api@shop.test'], Password: ['pw-5678'] });
    const r = await runCli(['profile', 'add', 'mp', '--backend', 'mypos', '--no-check'], { configDir, tty: true, prompter: first.prompter });
    expect(r.code, r.stderr).toBe(0);
    expect(first.asked[0]).toMatchObject({ kind: 'input', default: 'https://api.myposconnect.com/api/v2' });
    const again = answering({
      'Profile name': ['mp', 'bad name', 'mp2'],
      'Point-of-sale backend': ['mypos'],
      'Base URL': ['ftp://x', 'https://mypos.example.test/api/v2'],
      'API user e-mail': ['api@shop.test'],
      Password: ['pw-5678'],
    });
    const second = await runCli(['profile', 'add', '--no-check'], { configDir, tty: true, prompter: again.prompter });
    expect(second.code, second.stderr).toBe(0);
    expect(again.asked.filter((a) => a.kind === 'refused').map((a) => a.message)).toEqual([
      "a profile named 'mp' exists; add --force to replace it",
      "profile name 'bad name' may hold only letters, digits, '.', '_' and '-'",
      "the base URL 'ftp://x' must start with https:// (or http:// for a local server)",
    ]);
    expect(Object.keys(stored(configDir)!.profiles as object)).toEqual(['mp', 'mp2']);
  });
});

describe('profile add on a terminal, MYPOS', () => {
  it('picks MYPOS from the list, checks the password with a Basic login, and asks again when refused', async () => {
    const mypos = await startSandbox({ backend: 'mypos', seed: 2, closeGraceMs: 0 });
    try {
      const configDir = tempDir();
      const { asked, prompter } = answering({
        'Profile name': ['mp'],
        'Point-of-sale backend': ['mypos'],
        'Base URL': [mypos.baseUrl],
        'API user e-mail': [mypos.credentials.username!],
        Password: ['wrong-password-9', mypos.credentials.password!],
      });
      const r = await runCli(['profile', 'add'], { configDir, tty: true, prompter });
      expect(r.code, r.stderr).toBe(0);
      expect(asked.filter((a) => a.kind === 'password')).toHaveLength(2);
      expect(r.stderr).toContain('That password was refused');
      expect((stored(configDir)!.profiles as Record<string, unknown>).mp).toEqual({
        backend: 'mypos',
        baseUrl: mypos.baseUrl,
        username: mypos.credentials.username,
        password: mypos.credentials.password,
      });
    } finally {
      await mypos.close();
    }
  });
});

describe('profile add on a terminal, PORTOS', () => {
  it('asks for the device too, checks the login, and saves', async () => {
    const portos = await startSandbox({ backend: 'portos', seed: 2, closeGraceMs: 0 });
    try {
      const configDir = tempDir();
      const { asked, prompter } = answering({
        'Point-of-sale backend': ['portos'],
        'Base URL': [portos.baseUrl],
        'User name': [portos.credentials.username!],
        'Device name': [portos.credentials.deviceName!],
        Password: [portos.credentials.password!],
      });
      const r = await runCli(['profile', 'add', 'till'], { configDir, tty: true, prompter });
      expect(r.code, r.stderr).toBe(0);
      expect(asked.map((a) => a.kind)).toEqual(['select', 'input', 'input', 'input', 'password']);
      expect((stored(configDir)!.profiles as Record<string, unknown>).till).toEqual({
        backend: 'portos',
        baseUrl: portos.baseUrl,
        username: portos.credentials.username,
        deviceName: portos.credentials.deviceName,
        password: portos.credentials.password,
      });
    } finally {
      await portos.close();
    }
  });
});

describe('profile add without a terminal', () => {
  it('names every missing option with exit 2 and asks nothing', async () => {
    const configDir = tempDir();
    const r = await runCli(['profile', 'add'], { configDir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('profile add needs <name>, --backend, --base-url, --client-id (DealPOS) or --username');
    const portos = await runCli(['profile', 'add', 'lan', '--backend', 'portos', '--base-url', 'http://10.0.0.5', '--username', 'u'], { configDir });
    expect(portos.code).toBe(2);
    expect(portos.stderr).toContain('--device-name');
    expect(stored(configDir)).toBeUndefined();
  });

  it('checks with --check: a wrong secret from stdin is exit 4 and nothing is saved', async () => {
    const configDir = tempDir();
    const args = ['profile', 'add', 'shop', '--backend', 'dealpos', '--base-url', sb.baseUrl, '--client-id', sb.credentials.clientId!, '--client-secret-stdin', '--check'];
    const bad = await runCli(args, { configDir, stdin: 'not-the-secret\n' });
    expect(bad.code).toBe(4);
    expect(bad.stderr).toContain('the profile was not saved');
    expect(bad.stderr).not.toContain('not-the-secret');
    expect(stored(configDir)).toBeUndefined();
    const good = await runCli(args, { configDir, stdin: `${sb.credentials.clientSecret}\n` });
    expect(good.code, good.stderr).toBe(0);
    expect(stored(configDir)).toBeDefined();
  });

  it('refuses to send credentials over plain http to another host when checking', async () => {
    const r = await runCli(['profile', 'add', 'lan', '--backend', 'dealpos', '--base-url', 'http://10.9.9.9/api/v3', '--client-id', 'c', '--client-secret-stdin', '--check'], {
      stdin: 'secret-value',
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('refusing to send credentials over plain http://');
  });

  it('keeps --region in its ISO form, refuses one that is no region, and the profile reads phone numbers in it', async () => {
    const configDir = tempDir();
    const args = (region: string) => ['profile', 'add', 'shop', '--backend', 'dealpos', '--base-url', sb.baseUrl, '--client-id', sb.credentials.clientId!, '--client-secret-stdin', '--region', region, '--force'];
    const bad = await runCli(args('XX'), { configDir, stdin: `${sb.credentials.clientSecret}\n` });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--region 'XX' is not a region with phone numbers poscust knows");
    expect(stored(configDir)).toBeUndefined();
    const good = await runCli(args('sk'), { configDir, stdin: `${sb.credentials.clientSecret}\n` });
    expect(good.code, good.stderr).toBe(0);
    expect((stored(configDir)!.profiles as Record<string, { region?: string }>).shop!.region).toBe('SK');
    // A Slovak number without + is a number of the profile's region (DealPOS would read it in ID).
    const r = await runCli(['get', '--mobile', '0903 123 456'], { configDir });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain("also tried '+421903123456'");
  });
});
