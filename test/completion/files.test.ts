// The completion scripts: the committed files are exactly what the command tree generates, the
// command prints them with install instructions, and the profile-name helper is fast and quiet.
import { chmodSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SHELLS } from '../../src/completion/spec.js';
import { ROOT, poscust } from '../helpers/e2e.js';
import { runCli, tempDir } from '../helpers/harness.js';
import { storeWithProfiles } from '../helpers/shells.js';

const FILES = { bash: 'poscust.bash', zsh: '_poscust', fish: 'poscust.fish' } as const;

describe('completion files', () => {
  it.each(SHELLS)('completions/%s matches what the command tree generates (run npm run completions when this fails)', async (shell) => {
    const r = await runCli(['completion', shell]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const committed = readFileSync(join(ROOT, 'completions', FILES[shell]), 'utf8');
    expect(committed, `completions/${FILES[shell]} drifted from the command tree; run npm run completions`).toBe(r.stdout);
  });

  it('says in its help how to install each shell, and refuses an unknown shell with exit 2', async () => {
    const help = await runCli(['completion', '--help']);
    expect(help.code).toBe(0);
    for (const hint of ['bash-completion/completions/poscust', 'fpath', '.config/fish/completions/poscust.fish', 'Examples:']) {
      expect(help.stdout).toContain(hint);
    }
    const bad = await runCli(['completion', 'tcsh']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('bash, zsh, fish');
    expect(bad.stdout).toBe('');
  });

  it('keeps the helper command out of the help and the scripts offer every visible command', async () => {
    const help = await runCli(['--help']);
    expect(help.stdout).not.toContain('__complete');
    const bash = readFileSync(join(ROOT, 'completions', FILES.bash), 'utf8');
    expect(bash).not.toMatch(/'\|__complete'/);
    expect(bash).toContain("'|completion') REPLY='completion'");
  });
});

describe('poscust __complete profiles', () => {
  it('prints the profile names and nothing else, fast', async () => {
    const configDir = storeWithProfiles(['shop', 'lan.2', 'other_shop']);
    const started = Date.now();
    const r = await poscust(['__complete', 'profiles'], { env: { POSCUST_CONFIG_DIR: configDir } });
    const ms = Date.now() - started;
    expect(r).toMatchObject({ code: 0, stderr: '', stdout: 'shop\nlan.2\nother_shop\n' });
    // Generous for a loaded CI machine; the point is that it does not start the whole CLI.
    expect(ms).toBeLessThan(2000);
  });

  it('prints nothing (exit 0) without a store, with a damaged one, or with one others can read', async () => {
    const none = await poscust(['__complete', 'profiles'], { env: { POSCUST_CONFIG_DIR: join(tempDir(), 'absent') } });
    expect(none).toMatchObject({ code: 0, stdout: '', stderr: '' });
    const damaged = tempDir();
    writeFileSync(join(damaged, 'config.json'), '{"profiles": ', { mode: 0o600 });
    expect(await poscust(['__complete', 'profiles'], { env: { POSCUST_CONFIG_DIR: damaged } })).toMatchObject({ code: 0, stdout: '', stderr: '' });
    const open = storeWithProfiles(['shop']);
    chmodSync(join(open, 'config.json'), 0o644);
    expect(await poscust(['__complete', 'profiles'], { env: { POSCUST_CONFIG_DIR: open } })).toMatchObject({ code: 0, stdout: '', stderr: '' });
    expect(await poscust(['__complete', 'nonsense'], { env: { POSCUST_CONFIG_DIR: open } })).toMatchObject({ code: 0, stdout: '' });
  });

  it('loads neither the command tree nor the HTTP stack', async () => {
    const dir = tempDir();
    const log = join(dir, 'loaded.txt');
    writeFileSync(log, '');
    // A preload records every file of dist/ the binary reads (bin/load.cjs reads each chunk it runs).
    writeFileSync(
      join(dir, 'hook.cjs'),
      `const fs = require('node:fs'); const read = fs.readFileSync;\n` +
        `fs.readFileSync = function (file, ...rest) { if (String(file).includes('/dist/')) fs.appendFileSync(${JSON.stringify(log)}, 'file://' + file + '\\n'); return read.call(this, file, ...rest); };\n`,
    );
    const configDir = storeWithProfiles(['shop']);
    const r = await poscust(['__complete', 'profiles'], { env: { POSCUST_CONFIG_DIR: configDir, NODE_OPTIONS: `--require ${join(dir, 'hook.cjs')}` } });
    expect(r).toMatchObject({ code: 0, stdout: 'shop\n' });
    const loaded = readFileSync(log, 'utf8').split('\n').filter((u) => u.startsWith('file:') && u.endsWith('.js'));
    expect(loaded.length).toBeGreaterThan(0);
    for (const url of loaded) {
      const text = readFileSync(new URL(url), 'utf8');
      expect(text, `${url} holds commander`).not.toContain('commander.unknownCommand');
      expect(text, `${url} holds the HTTP client`).not.toContain('UND_ERR_');
    }
    // The bundle really has both, so the markers above mean something.
    const chunks = readdirSync(join(ROOT, 'dist', 'chunks')).filter((f) => f.endsWith('.js')).map((f) => readFileSync(join(ROOT, 'dist', 'chunks', f), 'utf8'));
    expect(chunks.some((t) => t.includes('commander.unknownCommand'))).toBe(true);
    expect(chunks.some((t) => t.includes('UND_ERR_'))).toBe(true);
  });
});

describe('the helper finds the store where poscust keeps it', () => {
  it('uses the same config directory rule as the rest of poscust', async () => {
    const { completionConfigDir } = await import('../../src/completion/values.js');
    const { configDir } = await import('../../src/config/paths.js');
    const cases: [Record<string, string>, NodeJS.Platform][] = [
      [{}, 'linux'],
      [{ XDG_CONFIG_HOME: '/x/cfg' }, 'linux'],
      [{ XDG_CONFIG_HOME: 'relative/cfg' }, 'linux'],
      [{ XDG_CONFIG_HOME: '' }, 'linux'],
      [{ POSCUST_CONFIG_DIR: '/p' }, 'linux'],
      [{}, 'darwin'],
      [{}, 'win32'],
      [{ APPDATA: 'C:\\Users\\a\\AppData\\Roaming' }, 'win32'],
    ];
    for (const [env, platform] of cases) expect(completionConfigDir(env, '/home/a', platform)).toBe(configDir(env, '/home/a', platform));
  });
});
