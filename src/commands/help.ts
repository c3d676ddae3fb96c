// `poscust help [command... | topic]`: a command's help (`help profile add` = `profile add --help`)
// or a topic page (environment, exit-codes). Replaces commander's implicit help commands, so there
// is one way in, and it knows the topics.
import { Argument, type Command } from 'commander';
import type { AppContext } from '../context.js';
import { writeOut } from '../deps.js';
import { UsageError } from '../errors.js';
import { HELP_TOPICS } from '../help/topics.js';
import { completeWith } from './completion-hints.js';
import { examples } from './examples.js';

/** Registers `help`; call after every other command, so groups lose their implicit help commands. */
export function registerHelp(program: Command, app: AppContext): void {
  for (const cmd of program.commands) if (cmd.commands.length) cmd.helpCommand(false);
  const width = Math.max(...HELP_TOPICS.map((t) => t.name.length));
  program
    .command('help')
    .summary('show help for a command, or a topic')
    .description(
      'Show the help of a command (`poscust help profile add` is `poscust profile add --help`), or ' +
        'one of the topics below. Every command also takes -h, --help.',
    )
    .addArgument(completeWith(new Argument('[topic...]', 'a command (and subcommand), or a topic'), { kind: 'help-topics' }))
    .addHelpText(
      'after',
      `\nTopics:\n${HELP_TOPICS.map((t) => `  ${t.name.padEnd(width)}  ${t.summary}`).join('\n')}\n` +
        examples('poscust help environment', 'poscust help exit-codes', 'poscust help profile add'),
    )
    .action(async (words: string[]) => {
      const topic = words.length === 1 ? HELP_TOPICS.find((t) => t.name === words[0]) : undefined;
      if (topic) {
        await writeOut(app.deps.io.stdout, topic.text);
        return;
      }
      let cmd: Command = program;
      for (const word of words) {
        const next = cmd.commands.find((c) => c.name() === word || c.aliases().includes(word));
        if (!next) {
          throw new UsageError(
            `no command or help topic '${words.join(' ')}'; topics: ${HELP_TOPICS.map((t) => t.name).join(', ')}; ` +
              'commands: poscust --help',
          );
        }
        cmd = next;
      }
      cmd.outputHelp();
    });
}
