import { bashScript } from './bash.js';
import { fishScript } from './fish.js';
import type { CompletionSpec, Shell } from './spec.js';
import { zshScript } from './zsh.js';

export function completionScript(shell: Shell, spec: CompletionSpec): string {
  switch (shell) {
    case 'bash':
      return bashScript(spec);
    case 'zsh':
      return zshScript(spec);
    case 'fish':
      return fishScript(spec);
  }
}
