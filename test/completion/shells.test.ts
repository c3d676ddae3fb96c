// The committed completion scripts, run in the real shells (see test/helpers/shells.ts): the same
// cases in bash, zsh and fish, plus, generated from the command tree, every command's options and
// every option value a user can pick from.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createProgram } from '../../src/app.js';
import { AppContext } from '../../src/context.js';
import type { Deps } from '../../src/deps.js';
import { BACKENDS } from '../../src/backends/registry.js';
import { FORMATS } from '../../src/output/records.js';
import { allCommands, globalOptions, ownOptions, type CompletionSpec } from '../../src/completion/spec.js';
import { completionSpec } from '../../src/commands/completion-spec.js';
import { HELP_TOPICS } from '../../src/help/topics.js';
import { ROOT } from '../helpers/e2e.js';
import { tempDir } from '../helpers/harness.js';
import {
  MISSING_SHELL,
  bashComplete,
  fishComplete,
  poscustOnPath,
  shellAvailable,
  storeWithProfiles,
  zshComplete,
} from '../helpers/shells.js';

const SCRIPTS = join(ROOT, 'completions');

interface Case {
  /** The words on the line; the last is the one being completed ('' right after a space). */
  words: string[];
  /** bash only: how readline splits the line when it differs (at '='). */
  bashWords?: string[];
  exact?: string[];
  includes?: string[];
  excludes?: string[];
}

async function treeSpec(): Promise<CompletionSpec> {
  const topics = HELP_TOPICS.map((t) => ({ name: t.name, description: t.summary }));
  return completionSpec(await createProgram(new AppContext({ io: {}, env: {} } as unknown as Deps)), topics);
}

const sorted = (list: readonly string[]) => [...list].sort();
const basename = (p: string) => p.replace(/\/$/, '').split('/').pop()!;

let env: Record<string, string>;
let filesDir: string;
let spec: CompletionSpec;
let cases: Case[];

beforeAll(async () => {
  spec = await treeSpec();
  const configDir = storeWithProfiles(['shop', 'lan.2']);
  env = {
    PATH: `${poscustOnPath()}:${process.env.PATH ?? ''}`,
    HOME: tempDir('poscust-home-'),
    POSCUST_CONFIG_DIR: configDir,
    TERM: 'xterm',
    LANG: 'C.UTF-8',
  };
  filesDir = join(tempDir('poscust-files-'), 'data');
  mkdirSync(filesDir);
  for (const f of ['customers.csv', 'customers.json', 'other.txt']) writeFileSync(join(filesDir, f), '');

  const names = (cmds: readonly { name: string }[]) => cmds.map((c) => c.name);
  const profile = spec.root.commands.find((c) => c.name === 'profile')!;
  cases = [
    { words: ['poscust', ''], exact: names(spec.root.commands) },
    { words: ['poscust', 'li'], exact: ['list'] },
    { words: ['poscust', 'profile', ''], exact: names(profile.commands) },
    { words: ['poscust', 'pin', ''], exact: ['check', 'set'] },
    { words: ['poscust', '--format', ''], exact: [...FORMATS] },
    { words: ['poscust', 'list', '--format', 'n'], exact: ['ndjson'] },
    { words: ['poscust', 'profile', 'add', '--backend', ''], exact: [...BACKENDS] },
    { words: ['poscust', 'sandbox', '--backend', 'm'], exact: ['mypos'] },
    { words: ['poscust', 'update-by', ''], exact: ['id', 'code', 'email', 'mobile'] },
    { words: ['poscust', 'update-by', 'code', 'HW1', '--gr'], exact: ['--group'] },
    { words: ['poscust', 'update-by', 'email', 'a@b.id', '--set', 'Name=x', '--dry'], exact: ['--dry-run'] },
    { words: ['poscust', 'verify', ''], exact: ['email', 'mobile'] },
    { words: ['poscust', 'completion', ''], exact: ['bash', 'zsh', 'fish'] },
    { words: ['poscust', 'sandbox', '--fault-kinds', ''], exact: ['500', 'drop-before', 'drop-after', '429', 'slow'] },
    { words: ['poscust', '--profile', ''], exact: ['shop', 'lan.2'] },
    { words: ['poscust', '--quiet', 'profile', 'use', ''], exact: ['shop', 'lan.2'] },
    { words: ['poscust', 'profile', 'rm', 's'], exact: ['shop'] },
    { words: ['poscust', 'help', 'ex'], exact: ['exit-codes', 'export'] },
    { words: ['poscust', 'import', '--key', ''], includes: ['code', 'email', 'mobile', 'id'] },
    { words: ['poscust', 'import', `${filesDir}/o`], exact: ['other.txt'] },
    { words: ['poscust', 'sandbox', '--data', `${filesDir}/cust`], exact: ['customers.csv', 'customers.json'] },
    { words: ['poscust', '--profile', 'shop', 'get', '--'], includes: ['--id', '--code', '--email', '--mobile', '--format', '--help'], excludes: ['--backend', '--version'] },
    { words: ['poscust', '--format=j'], bashWords: ['poscust', '--format', '=', 'j'], exact: ['--format=json'] },
  ];
  // From the tree: every command offers all of its own long options and the global ones...
  for (const cmd of [spec.root, ...allCommands(spec)]) {
    const longs = [...ownOptions(cmd, spec), ...globalOptions(spec)].flatMap((o) => o.flags.filter((f) => f.startsWith('--')));
    cases.push({ words: ['poscust', ...cmd.path, '--'], includes: longs });
    // ...and every option with a fixed set of values offers exactly those.
    for (const o of ownOptions(cmd, spec)) {
      if (o.takesValue && o.values.kind === 'words') cases.push({ words: ['poscust', ...cmd.path, o.flags.at(-1)!, ''], exact: [...o.values.words] });
    }
    if (cmd.commands.length) cases.push({ words: ['poscust', ...cmd.path, ''], exact: names(cmd.commands) });
  }
});

function check(shell: string, results: string[][]): void {
  expect(results).toHaveLength(cases.length);
  cases.forEach((c, i) => {
    // bash returns '--format=json' only with its own word split; compare what the user would see.
    const got = results[i]!.map((w) => (c.words.at(-1)!.includes('/') ? basename(w) : w));
    const where = `${shell}: ${c.words.join(' ')}<TAB>`;
    if (c.exact) expect(sorted(got), where).toEqual(sorted(c.exact));
    for (const w of c.includes ?? []) expect(got, `${where} should offer ${w}`).toContain(w);
    for (const w of c.excludes ?? []) expect(got, `${where} should not offer ${w}`).not.toContain(w);
  });
}

describe('completion in the real shells', () => {
  it('bash: registers with complete -F and completes commands, options, values and profiles', () => {
    expect(shellAvailable('bash'), MISSING_SHELL).toBe(true);
    const { spec: registered, results } = bashComplete(
      join(SCRIPTS, 'poscust.bash'),
      cases.map((c) => c.bashWords ?? c.words),
      env,
    );
    expect(registered).toBe('complete -F _poscust poscust');
    // With readline's split, bash completes the word after '=' (the line keeps '--format=').
    const i = cases.findIndex((c) => c.bashWords);
    results[i] = results[i]!.map((w) => `--format=${w}`);
    check('bash', results);
  });

  it('zsh: compinit finds _poscust in $fpath and completes the same', () => {
    expect(shellAvailable('zsh'), MISSING_SHELL).toBe(true);
    const { registered, results } = zshComplete(
      SCRIPTS,
      cases.map((c) => c.words.join(' ')),
      env,
    );
    expect(registered).toBe('_poscust');
    check('zsh', results);
  });

  it('fish: complete -C completes the same', () => {
    expect(shellAvailable('fish'), MISSING_SHELL).toBe(true);
    const results = fishComplete(
      join(SCRIPTS, 'poscust.fish'),
      cases.map((c) => c.words.join(' ')),
      env,
    );
    check('fish', results);
  });
});
