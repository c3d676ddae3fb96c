// The one way a command asks whether a backend has a verb: before it prompts for a PIN, asks for a
// confirmation or spends requests resolving identifiers, it requires the verb, and a backend that
// lacks it is exit 6 naming the backend and the command.
import { UnsupportedError } from '../errors.js';
import type { BackendVerb, CustomerBackend } from './types.js';

/** The command a verb is, in messages. */
export const VERB_COMMANDS: Record<BackendVerb, string> = {
  create: 'create',
  update: 'update',
  delete: 'delete',
  setSuspended: 'suspend',
  merge: 'merge',
  newCode: 'new-code',
  setPin: 'pin set',
  checkPin: 'pin check',
  setVerified: 'verify',
  appSignIn: 'app-signin',
};

/** Throws UnsupportedError (exit 6) unless the backend has the verb; `command` names it in the message. */
export function requireVerb(backend: CustomerBackend, verb: BackendVerb, command = VERB_COMMANDS[verb]): void {
  if (!backend.verbs.has(verb)) throw new UnsupportedError(backend.name, command, backend.whyNot?.[verb]);
}
