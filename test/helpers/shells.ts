// Drives the generated completion scripts in the real shells, as a user's Tab would:
// - bash: source the script, check `complete -p poscust`, then call the function it names with
//   COMP_WORDS/COMP_CWORD set the way readline splits the line;
// - zsh: an interactive `zsh -f -i` on a pseudo-terminal (zsh/zpty), compinit with the script's
//   directory in $fpath, the line typed and Tab pressed; compadd is wrapped to print the matches;
// - fish: `complete -C '<line>'`, fish's own answer to "what would Tab offer here".
// Each runs every case in one shell process; the drivers are the complete-* files beside this one.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN } from './e2e.js';
import { tempDir } from './harness.js';

const HERE = import.meta.dirname;

export function shellAvailable(shell: 'bash' | 'zsh' | 'fish'): boolean {
  return spawnSync(shell, ['--version'], { stdio: 'ignore' }).status === 0;
}

export const MISSING_SHELL =
  'the completion tests run the scripts in real bash, zsh and fish; install them (Debian: apt-get install -y zsh fish), ' +
  'which the test setup does by itself when it runs as root with apt-get';

/** A PATH directory whose `poscust` runs this checkout's built binary (the scripts call `poscust __complete`). */
export function poscustOnPath(): string {
  const dir = join(tempDir('poscust-path-'), 'bin');
  mkdirSync(dir);
  writeFileSync(join(dir, 'poscust'), `#!/bin/sh\nexec '${process.execPath}' '${BIN}' "$@"\n`);
  chmodSync(join(dir, 'poscust'), 0o755);
  return dir;
}

/** A config directory holding a profile store with these profiles (owner-only, as poscust writes it). */
export function storeWithProfiles(names: string[]): string {
  const dir = join(tempDir('poscust-completion-'), 'cfg');
  mkdirSync(dir, { mode: 0o700 });
  const profiles = Object.fromEntries(names.map((n) => [n, { backend: 'dealpos', baseUrl: 'https://x.dealpos.net/api/v3', clientId: 'c', clientSecret: 'top-secret-value' }]));
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ defaultProfile: names[0], profiles }), { mode: 0o600 });
  return dir;
}

function run(cmd: string, args: string[], env: Record<string, string>, input?: string): string {
  const r = spawnSync(cmd, args, { env, input, encoding: 'utf8', timeout: 20_000 });
  if (r.status !== 0) throw new Error(`${cmd} exited ${r.status} (${r.signal ?? ''}): ${r.stderr}\n${r.stdout}`);
  return r.stdout;
}

/** bash: each case is the words as readline splits them (`--format=j` is `--format`, `=`, `j`). */
export function bashComplete(script: string, cases: string[][], env: Record<string, string>): { spec: string; results: string[][] } {
  const input = cases.map((words) => words.map((w) => `${w}\x1f`).join('')).join('\n') + '\n';
  const out = run('bash', ['--norc', '--noprofile', join(HERE, 'complete-bash.sh'), script], env, input);
  const spec = /<<SPEC>>(.*)/.exec(out)?.[1] ?? '';
  const results = [...out.matchAll(/<<CASE>>(.*)/g)].map((m) => m[1]!.split('\x1f').filter((w) => w !== ''));
  return { spec, results };
}

/** zsh: each case is the text typed before Tab. `registered` is compinit's function for `poscust`. */
export function zshComplete(fpathDir: string, lines: string[], env: Record<string, string>): { registered: string; results: string[][] } {
  const out = run('zsh', ['-f', join(HERE, 'complete-zsh.zsh'), join(HERE, 'complete-zsh-setup.zsh'), ...lines], {
    ...env,
    POSCUST_TEST_FPATH: fpathDir,
  });
  const registered = /<<READY>>(.*?)<<E>>/.exec(out)?.[1] ?? '';
  const results = out
    .split('<<CASE>>')
    .slice(1)
    .map((chunk) => [...chunk.matchAll(/<<M>>(.*?)<<E>>/g)].map((m) => m[1]!));
  return { registered, results };
}

/** fish: each case is the command line before the cursor; the candidates without their descriptions. */
export function fishComplete(script: string, lines: string[], env: Record<string, string>): string[][] {
  const out = run(
    'fish',
    ['--no-config', '-c', 'source $argv[1]; or exit 8; for line in $argv[2..-1]; echo "<<CASE>>"; complete -C "$line"; end', script, ...lines],
    env,
  );
  return out
    .split('<<CASE>>\n')
    .slice(1)
    .map((chunk) => chunk.split('\n').filter(Boolean).map((l) => l.split('\t')[0]!));
}
