// The one module `poscust completion` loads: the tree as a spec, then the shell's script. It
// imports nothing the rest of the CLI loads at start-up, so it adds no chunk to other commands.
import type { Command } from 'commander';
import { completionScript as generate } from '../completion/generate.js';
import type { CompletionSpec, Shell } from '../completion/spec.js';
import { completionSpec } from './completion-spec.js';

export function completionScript(shell: Shell, program: Command, helpTopics: CompletionSpec['helpTopics']): string {
  return generate(shell, completionSpec(program, helpTopics));
}
