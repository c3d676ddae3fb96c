// Help is documentation: every command, walked from the tree, has a description, its options and two
// or three realistic examples; `help <command...>` is `<command...> --help`; the topics print the
// contract's tables.
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { createProgram } from '../../src/app.js';
import { AppContext } from '../../src/context.js';
import type { Deps } from '../../src/deps.js';
import { ExitCode } from '../../src/errors.js';
import { runCli } from '../helpers/harness.js';

function visible(cmd: Command, path: string[] = []): { path: string[]; cmd: Command }[] {
  const help = cmd.createHelp();
  return help
    .visibleCommands(cmd)
    .flatMap((c) => [{ path: [...path, c.name()], cmd: c }, ...visible(c, [...path, c.name()])]);
}

const program = await createProgram(new AppContext({ io: {}, env: {} } as unknown as Deps));
const commands = visible(program);

describe('--help of every command', () => {
  it('walks a tree that has the commands of the contract', () => {
    const names = commands.map((c) => c.path.join(' '));
    for (const n of ['list', 'count', 'get', 'create', 'update-by', 'delete', 'suspend', 'unsuspend', 'merge', 'new-code', 'pin set', 'pin check', 'verify', 'app-signin', 'profile add', 'sandbox', 'completion', 'doctor', 'help']) {
      expect(names).toContain(n);
    }
  });

  it.each([{ path: [] as string[], cmd: program }, ...commands].map((c) => [c.path.join(' ') || '(poscust)', c] as const))(
    '%s: description, options and 2-3 examples',
    async (_name, { path, cmd }) => {
      const r = await runCli([...path, '--help']);
      expect(r.code).toBe(0);
      expect(r.stderr).toBe('');
      expect(cmd.description().length, 'description').toBeGreaterThan(20);
      expect(r.stdout).toContain(cmd.description().split('\n')[0]!.slice(0, 40));
      expect(r.stdout).toContain('Options:');
      expect(r.stdout).toContain('-h, --help');
      const examples = r.stdout.split('\nExamples:\n')[1]?.split('\n').filter((l) => l.startsWith('  $ ')) ?? [];
      expect(examples.length, `${path.join(' ')} examples`).toBeGreaterThanOrEqual(2);
      expect(examples.length).toBeLessThanOrEqual(4);
      for (const e of examples) {
        expect(e).toMatch(/^ {2}\$ .*\bposcust /);
        expect(e, 'an example of this command').toContain(path.at(-1) ?? 'poscust');
      }
    },
  );
});

describe('help command and topics', () => {
  it('`help <command...>` prints that command\'s help, aliases included', async () => {
    for (const path of [['list'], ['profile', 'add'], ['profile', 'rm'], ['pin', 'check']]) {
      const viaHelp = await runCli(['help', ...path]);
      const viaFlag = await runCli([...path, '--help']);
      expect(viaHelp.code).toBe(0);
      expect(viaHelp.stdout).toBe(viaFlag.stdout);
    }
    expect((await runCli(['help'])).stdout).toBe((await runCli(['--help'])).stdout);
  });

  it('environment lists every POSCUST_* variable of the contract', async () => {
    const r = await runCli(['help', 'environment']);
    expect(r.code).toBe(0);
    for (const v of ['POSCUST_CONFIG_DIR', 'POSCUST_PROFILE', 'POSCUST_BACKEND', 'POSCUST_BASE_URL', 'POSCUST_CLIENT_ID', 'POSCUST_CLIENT_SECRET', 'POSCUST_USERNAME', 'POSCUST_PASSWORD', 'POSCUST_DEVICE_NAME', 'POSCUST_TOKEN', 'NO_COLOR']) {
      expect(r.stdout).toMatch(new RegExp(`^ {2}${v}\\s{2,}\\S`, 'm'));
    }
  });

  it('exit-codes lists every exit code with its meaning', async () => {
    const r = await runCli(['help', 'exit-codes']);
    expect(r.code).toBe(0);
    for (const code of Object.values(ExitCode)) expect(r.stdout).toMatch(new RegExp(`^ {2}${code}\\s{2,}\\w`, 'm'));
    expect(r.stdout).toContain('75');
    expect(r.stdout).toContain('temporary failure');
  });

  it('an unknown topic is exit 2 naming the topics; the root help lists them', async () => {
    const r = await runCli(['help', 'nonsense']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('topics: environment, exit-codes');
    const help = await runCli(['help', '--help']);
    expect(help.stdout).toContain('environment');
    expect(help.stdout).toContain('exit-codes');
  });
});
