// What the cross-backend command tests need to know of each backend, defined once: how a record is
// named, how to create one, a field to change, how suspension shows in the stored record, and which
// verbs it has. Test files run the same cases over every backend with describe.each(BACKEND_CASES).
import { BACKENDS } from '../../src/backends/registry.js';
import type { BackendVerb } from '../../src/backends/types.js';
import type { SandboxBackend } from '../../src/sandbox/index.js';

export interface BackendCase {
  backend: SandboxBackend;
  /** The record's identifier field. */
  idField: string;
  /** The code field, where the backend has one. */
  codeField?: string;
  /** `create` options that make a valid new customer. */
  createArgs: string[];
  /** An `update-by` change, and the stored field and value it sets. */
  change: { args: string[]; field: string; value: unknown };
  /** Whether a stored record is suspended (inactive). */
  suspended(record: Record<string, unknown>): boolean;
  /** The verbs it has beyond the reads (backend.verbs). */
  verbs: readonly BackendVerb[];
}

const WRITES: readonly BackendVerb[] = ['create', 'update', 'delete', 'setSuspended'];

export const BACKEND_CASES: readonly BackendCase[] = [
  {
    backend: 'dealpos',
    idField: 'ID',
    codeField: 'Code',
    createArgs: ['--name', 'Ani Wulandari', '--email', 'ani@contoh.co.id', '--code', 'ANI-1'],
    change: { args: ['--set', 'Address=Jl. Baru 1'], field: 'Address', value: 'Jl. Baru 1' },
    suspended: (r) => r.Status === 'Suspended',
    verbs: [...WRITES, 'merge', 'newCode', 'setPin', 'checkPin', 'setVerified', 'appSignIn'],
  },
  {
    backend: 'mypos',
    idField: 'customerId',
    codeField: 'customerCode',
    createArgs: ['--first-name', 'Ani', '--last-name', 'Wulandari', '--email', 'ani@contoh.co.id'],
    change: { args: ['--note', 'called back'], field: 'notes', value: 'called back' },
    suspended: (r) => r.active === false,
    verbs: WRITES,
  },
  {
    backend: 'portos',
    idField: 'id',
    createArgs: ['--first-name', 'Ani', '--last-name', 'Wulandari', '--set', 'externalId=ANI-1'],
    change: { args: ['--note', 'called back'], field: 'note', value: 'called back' },
    suspended: (r) => r.isActive === false,
    verbs: WRITES,
  },
];

if (BACKEND_CASES.map((c) => c.backend).join() !== BACKENDS.join()) throw new Error('test/helpers/backends.ts: a backend has no test case');

/** The cases of the backends that have `verb`, and of those that lack it. */
export function casesWith(verb: BackendVerb): { have: BackendCase[]; lack: BackendCase[] } {
  return { have: BACKEND_CASES.filter((c) => c.verbs.includes(verb)), lack: BACKEND_CASES.filter((c) => !c.verbs.includes(verb)) };
}
