// What a write command prints (contract, "Output"): one short line for people (table), or for
// scripts the same object from every write command, whatever the backend answered:
// `{"action", "identifier", "id", "code", "server"}` as JSON, one NDJSON line, or a CSV header and row.
import type { AppContext } from '../context.js';
import { writeOut } from '../deps.js';
import { guardCell } from '../output/csv-guard.js';
import { forTerminal } from '../output/terminal.js';
import type { CustomerBackend, CustomerRecord, Lookup, WriteResult } from '../backends/types.js';

export interface WriteReport {
  /** What was done: `created`, `updated`, `deleted`, `suspended`, `merged`, `pin-set`, ... */
  action: string;
  /** The value the customer was named by on the command line (null for create without a code). */
  identifier: string | null;
  /** The customer's ID and code, where known. */
  id?: string | null;
  code?: string | null;
  /** The server's answer as it came. */
  server: unknown;
  /** The line a person sees. */
  line: string;
}

const WRITE_COLUMNS = ['action', 'identifier', 'id', 'code', 'server'] as const;

export async function printWrite(app: AppContext, report: WriteReport): Promise<void> {
  const { format } = app.globals;
  const out = app.deps.io.stdout;
  const data = { action: report.action, identifier: report.identifier, id: report.id ?? null, code: report.code ?? null, server: report.server ?? null };
  if (format === 'json' || format === 'ndjson') {
    await writeOut(out, `${JSON.stringify(data, null, format === 'json' ? 2 : undefined)}\n`);
  } else if (format === 'csv') {
    const { stringify } = await import('csv-stringify/sync');
    const cells = WRITE_COLUMNS.map((k) => (k === 'server' ? JSON.stringify(data.server) : (data[k] ?? '')));
    await writeOut(out, stringify([[...WRITE_COLUMNS], cells.map((c) => guardCell(String(c)))], { eof: true }));
  } else {
    await writeOut(out, `${forTerminal(report.line)}\n`);
  }
}

/** The ID and code a write result and the lookup it was named by tell, for printWrite. */
export function identityFrom(lookup: Lookup | undefined, result: Pick<WriteResult, 'id' | 'code'>): { id: string | null; code: string | null } {
  return {
    id: result.id ?? (lookup?.by === 'id' ? lookup.value : null),
    code: result.code ?? (lookup?.by === 'code' ? lookup.value : null),
  };
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

/** A field of a record as a non-empty string, else undefined. */
export function stringField(record: CustomerRecord, field: string): string | undefined {
  const v = record[field];
  return typeof v === 'string' && v ? v : undefined;
}
