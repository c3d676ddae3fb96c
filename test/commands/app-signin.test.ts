// `poscust app-signin` on every backend: it works where the backend has it, exit 6 where not.
import { verbOnEveryBackend } from '../helpers/verb-cases.js';

verbOnEveryBackend('appSignIn', ['app-signin', '--code', 'C-00001']);
