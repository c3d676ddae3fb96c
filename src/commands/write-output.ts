// What a write command prints (contract, "Output"): the affected record's identity as one short
// line for people and scripts, or under --format json / ndjson the server's answer as is.
import type { AppContext } from '../context.js';
import { writeOut } from '../deps.js';
import { forTerminal } from '../output/terminal.js';
import type { CustomerBackend, CustomerRecord, Lookup } from '../backends/types.js';

export async function printWrite(app: AppContext, line: string, answer: unknown): Promise<void> {
  const { format } = app.globals;
  if (format === 'json' || format === 'ndjson') {
    await writeOut(app.deps.io.stdout, `${JSON.stringify(answer ?? null, null, format === 'json' ? 2 : undefined)}\n`);
  } else {
    await writeOut(app.deps.io.stdout, `${forTerminal(line)}\n`);
  }
}

/** How a record is named to a person: its code when it has one, else its ID. */
export function identityOf(backend: CustomerBackend, record: CustomerRecord): string {
  const { codeField, idField } = backend.schema;
  const code = codeField ? record[codeField] : undefined;
  if (typeof code === 'string' && code) return code;
  return String(record[idField] ?? '?');
}

/** "HWCISAP (Hendry Wijaya)" for confirmations and plans. */
export function describeRecord(backend: CustomerBackend, record: CustomerRecord): string {
  const nameField = backend.schema.flags.name;
  const name = nameField ? record[nameField] : undefined;
  return `${identityOf(backend, record)}${typeof name === 'string' && name ? ` (${name})` : ''}`;
}

const KEY_WORD: Record<Lookup['by'], string> = { id: 'ID', code: 'Code', email: 'Email', mobile: 'Mobile', phone: 'Phone' };

/** "customer with Code 'X'" for questions and messages (the adapters' not-found wording). */
export function describeLookup(lookup: Lookup): string {
  return `customer with ${KEY_WORD[lookup.by]} '${lookup.value}'`;
}
