// `poscust completion <shell>` prints the completion script for the whole command tree (the files
// in completions/ are this output, kept in step by a test), and the hidden `__complete` helper the
// scripts call for values only known at run time (profile names). The binary answers `__complete`
// before loading the command tree (src/cli.ts); this registration serves in-process runs.
import { Argument, type Command } from 'commander';
import type { AppContext } from '../context.js';
import { writeOut } from '../deps.js';
import type { Shell } from '../completion/spec.js';
import { HELP_TOPICS } from '../help/topics.js';
import { examples } from './examples.js';

const SHELLS = ['bash', 'zsh', 'fish'] as const satisfies readonly Shell[];

const INSTALL = `
Install (then open a new shell):
  bash  poscust completion bash > ~/.local/share/bash-completion/completions/poscust
        (or add to ~/.bashrc: source <(poscust completion bash))
  zsh   poscust completion zsh > "\${fpath[1]}/_poscust"
        (or any directory you add to fpath before compinit runs in ~/.zshrc)
  fish  poscust completion fish > ~/.config/fish/completions/poscust.fish

Packaged copies are in the completions/ directory of the npm package. Profile names complete
from the profile store each time you press Tab.
`;

export function registerCompletion(program: Command, app: AppContext): void {
  program
    .command('completion')
    .summary('print the shell completion script')
    .description(
      'Print the tab-completion script for bash, zsh or fish: every command, option and option ' +
        'value (backends, formats, update-by keys, ...), and your profile names.',
    )
    .addArgument(new Argument('<shell>', 'the shell to complete in').choices(SHELLS))
    .addHelpText(
      'after',
      INSTALL +
        examples(
          'poscust completion bash > ~/.local/share/bash-completion/completions/poscust',
          'poscust completion zsh > ~/.zsh/completions/_poscust',
          'poscust completion fish > ~/.config/fish/completions/poscust.fish',
        ),
    )
    .action(async (shell: Shell) => {
      const { completionScript } = await import('./completion-script.js');
      await writeOut(app.deps.io.stdout, completionScript(shell, program, HELP_TOPICS.map((t) => ({ name: t.name, description: t.summary }))));
    });

  program
    .command('__complete', { hidden: true })
    .argument('<kind>')
    .action(async (kind: string) => {
      const { completionValues } = await import('../completion/values.js');
      await writeOut(app.deps.io.stdout, completionValues([kind], app.deps.env, app.deps.homeDir, app.deps.platform));
    });
}
