// Interactive questions on @inquirer/prompts, loaded only when a command needs to ask.
import { confirm, input, password, select } from '@inquirer/prompts';
import type { Prompter } from '../deps.js';
import { InterruptedError } from '../errors.js';

/** inquirer rejects with ExitPromptError on Ctrl-C: that is an interruption, exit 130. */
async function ask<T>(question: Promise<T>): Promise<T> {
  try {
    return await question;
  } catch (err) {
    if ((err as Error).name === 'ExitPromptError' || (err as Error).name === 'AbortPromptError') throw new InterruptedError();
    throw err;
  }
}

export function createPrompter(): Prompter {
  // Prompts are written to stderr so stdout stays data only.
  const context = { output: process.stderr };
  return {
    confirm: (message, defaultValue = false) => ask(confirm({ message, default: defaultValue }, context)),
    password: (message) => ask(password({ message, mask: '*' }, context)),
    input: (message, options = {}) =>
      ask(input({ message, default: options.default, validate: options.validate ?? (() => true) }, context)),
    select: (message, choices, defaultValue) => ask(select({ message, choices, default: defaultValue }, context)),
  };
}
