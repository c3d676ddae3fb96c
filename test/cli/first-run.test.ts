// With no profile and no POSCUST_* variables, every command that talks to a shop says in two lines
// what to do (exit 2) and sends nothing. The list is walked from the command tree, so a new command
// fails here until it is classified.
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { createProgram } from '../../src/app.js';
import { AppContext } from '../../src/context.js';
import type { Deps } from '../../src/deps.js';
import { FIRST_RUN_MESSAGE } from '../../src/backends/connection.js';
import { runCli, strictAgent } from '../helpers/harness.js';

/** Commands that need a shop, with arguments that get them as far as choosing one. */
const API_COMMANDS: Record<string, string[]> = {
  list: [],
  count: [],
  get: ['--code', 'X'],
  create: ['--name', 'Siti'],
  'update-by': ['code', 'X', '--name', 'Siti'],
  delete: ['--code', 'X', '--yes'],
  suspend: ['--code', 'X'],
  unsuspend: ['--code', 'X'],
  merge: ['--into', 'A', 'B', '--yes'],
  'new-code': [],
  'pin set': ['--code', 'X', '--pin-stdin'],
  'pin check': ['--code', 'X', '--pin-stdin'],
  verify: ['email', '--code', 'X'],
  'app-signin': ['--code', 'X'],
  doctor: [],
  import: ['-'],
  export: [],
  apply: ['plan.json', '--yes'],
  duplicates: [],
  migrate: ['--from', 'a', '--to', 'b'],
  history: [],
  'history show': ['20261205-142501-1237'],
  'history prune': [],
  undo: ['20261205-142501-1237', '--yes'],
};
/** Commands that work without a shop. */
const LOCAL = ['profile add', 'profile list', 'profile show', 'profile use', 'profile remove', 'sandbox', 'completion', 'help'];

function leaves(cmd: Command, path: string[] = []): string[] {
  return cmd
    .createHelp()
    .visibleCommands(cmd)
    .flatMap((c) => (c.commands.length ? leaves(c, [...path, c.name()]) : [[...path, c.name()].join(' ')]));
}

describe('first run', () => {
  it('knows every command: it needs a shop, or it does not', async () => {
    const all = leaves(await createProgram(new AppContext({ io: {}, env: {} } as unknown as Deps)));
    const unclassified = all.filter((c) => !(c in API_COMMANDS) && !LOCAL.includes(c));
    expect(unclassified, 'classify these in test/commands/first-run.test.ts').toEqual([]);
  });

  it.each(Object.entries(API_COMMANDS))('%s explains in two lines, exit 2, nothing sent', async (name, args) => {
    const agent = strictAgent();
    const r = await runCli([...name.split(' '), ...args], { dispatcher: agent, stdin: '1234\n' });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`poscust: ${FIRST_RUN_MESSAGE}\n`);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(2);
    expect(agent.getCallHistory()?.calls() ?? []).toHaveLength(0);
  });

  it('says which profiles exist when none is the default', async () => {
    const { storeWithProfiles } = await import('../helpers/shells.js');
    const configDir = storeWithProfiles(['shop', 'lan']);
    const { writeFileSync, readFileSync } = await import('node:fs');
    const file = `${configDir}/config.json`;
    const data = JSON.parse(readFileSync(file, 'utf8'));
    delete data.defaultProfile;
    writeFileSync(file, JSON.stringify(data));
    const r = await runCli(['count'], { configDir });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('poscust: no default profile; pick one with --profile <name> or poscust profile use <name> (profiles: shop, lan)\n');
  });
});
