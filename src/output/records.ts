// Printing records in the four formats, streaming: each batch (a page) is written as it arrives and
// not kept, so `list --all` runs in constant memory whatever the number of customers.
import type { CustomerRecord } from '../backends/types.js';
import type { BackendSchema } from '../backends/schema.js';
import { type OutStream, writeOut } from '../deps.js';
import { UsageError } from '../errors.js';
import { cellText, flatKeys, project, valueAt } from './cells.js';
import { guardCell } from './csv-guard.js';
import { displayWidth, padToWidth, prepareWidths, truncateToWidth } from './display-width.js';
import { forTerminal } from './terminal.js';

export const FORMATS = ['table', 'json', 'ndjson', 'csv'] as const;
export type Format = (typeof FORMATS)[number];

export interface RecordWriterOptions {
  format: Format;
  out: OutStream;
  /** `--fields`, resolved to native names. */
  fields?: readonly string[];
  /** Table columns when no `--fields`. */
  tableColumns: readonly string[];
  /** CSV columns when no `--fields`: every known field (plus unknown ones seen in the first batch). */
  allColumns: readonly string[];
  /** 'one': JSON prints an object (get); 'many': an array (list). */
  shape: 'one' | 'many';
  /** Bold table headers (only when stdout is a colour terminal). */
  bold?: (text: string) => string;
  /** Longest table cell before it is cut with an ellipsis (only when `truncate`). */
  maxCellWidth?: number;
  /** Cut cells to fit (stdout is a terminal); never when writing to a file or a pipe. */
  truncate?: boolean;
  warn?: (message: string) => void;
}

export interface RecordWriter {
  write(records: readonly CustomerRecord[]): Promise<void>;
  end(): Promise<void>;
  readonly count: number;
}

/** Resolves `--fields` against the backend's native names (case-insensitive), or says which exist. */
export function resolveFields(requested: readonly string[] | undefined, schema: BackendSchema): string[] | undefined {
  if (!requested || requested.length === 0) return undefined;
  return requested.map((name) => {
    const lower = name.toLowerCase();
    const field = schema.fields.find((f) => f.name.toLowerCase() === lower);
    if (field) return field.name;
    // A parent of dotted fields (PORTOS `address`) is a field too.
    const parent = schema.fields.find((f) => f.name.toLowerCase().startsWith(`${lower}.`));
    if (parent) return parent.name.slice(0, lower.length);
    throw new UsageError(`unknown field '${name}' in --fields; valid fields: ${schema.fields.map((f) => f.name).join(', ')}`);
  });
}

export function createRecordWriter(options: RecordWriterOptions): RecordWriter {
  switch (options.format) {
    case 'json':
      return new JsonWriter(options);
    case 'ndjson':
      return new NdjsonWriter(options);
    case 'csv':
      return new CsvWriter(options);
    case 'table':
      return new TableWriter(options);
  }
}

export abstract class BaseWriter implements RecordWriter {
  count = 0;
  constructor(protected readonly options: RecordWriterOptions) {}
  abstract write(records: readonly CustomerRecord[]): Promise<void>;
  abstract end(): Promise<void>;
  protected shaped(record: CustomerRecord): CustomerRecord {
    return this.options.fields ? project(record, this.options.fields) : record;
  }
}

class JsonWriter extends BaseWriter {
  private started = false;
  async write(records: readonly CustomerRecord[]): Promise<void> {
    if (this.options.shape === 'one') {
      for (const r of records) {
        this.count++;
        await writeOut(this.options.out, `${JSON.stringify(this.shaped(r), null, 2)}\n`);
      }
      return;
    }
    if (records.length === 0) return;
    const parts = records.map((r) => indent(JSON.stringify(this.shaped(r), null, 2)));
    const text = `${this.started ? ',\n' : '[\n'}${parts.join(',\n')}`;
    this.started = true;
    this.count += records.length;
    await writeOut(this.options.out, text);
  }
  async end(): Promise<void> {
    if (this.options.shape === 'many') await writeOut(this.options.out, this.started ? '\n]\n' : '[]\n');
  }
}

function indent(text: string): string {
  return text.replace(/^/gm, '  ');
}

class NdjsonWriter extends BaseWriter {
  async write(records: readonly CustomerRecord[]): Promise<void> {
    if (records.length === 0) return;
    this.count += records.length;
    await writeOut(this.options.out, `${records.map((r) => JSON.stringify(this.shaped(r))).join('\n')}\n`);
  }
  async end(): Promise<void> {}
}

/** Fixed columns from the first batch on: a stream cannot change its header later. */
export abstract class ColumnWriter extends BaseWriter {
  protected columns: string[] | undefined;
  private warned = false;

  protected columnsFor(records: readonly CustomerRecord[], defaults: readonly string[], addUnknown: boolean): string[] {
    if (this.columns) {
      if (addUnknown && !this.options.fields && !this.warned) {
        const known = new Set(this.columns);
        // A null nested object (`address`) has its dotted columns; a JSON column holds its members.
        const covered = (k: string) => known.has(k) || this.columns!.some((c) => k.startsWith(`${c}.`) || c.startsWith(`${k}.`));
        const extra = records.flatMap((r) => flatKeys(r)).find((k) => !covered(k));
        if (extra !== undefined) {
          this.warned = true;
          this.options.warn?.(`field '${extra}' appeared after the CSV header was written; it is not in this CSV (use --format ndjson to keep every field)`);
        }
      }
      return this.columns;
    }
    if (this.options.fields) return (this.columns = [...this.options.fields]);
    const cols = [...defaults];
    if (addUnknown) {
      const known = new Set(cols.map((c) => c.toLowerCase()));
      for (const r of records) {
        for (const k of flatKeys(r)) {
          const lower = k.toLowerCase();
          // A nested object flattened by us has its own dotted columns already, and a member of a
          // JSON column (PORTOS `meta.vip` under `meta`) is in that column's JSON.
          if (!known.has(lower) && !cols.some((c) => c.toLowerCase().startsWith(`${lower}.`) || lower.startsWith(`${c.toLowerCase()}.`))) {
            known.add(lower);
            cols.push(k);
          }
        }
      }
    }
    return (this.columns = cols);
  }
}

class CsvWriter extends ColumnWriter {
  private stringify: typeof import('csv-stringify/sync').stringify | undefined;
  async write(records: readonly CustomerRecord[]): Promise<void> {
    const first = this.columns === undefined;
    if (!first && records.length === 0) return;
    const columns = this.columnsFor(records, this.options.allColumns, true);
    this.stringify ??= (await import('csv-stringify/sync')).stringify;
    const rows = records.map((r) => columns.map((c) => guardCell(cellText(valueAt(r, c)))));
    // The header is guarded too: a column name is whatever key the server sent.
    if (first) rows.unshift(columns.map(guardCell));
    this.count += records.length;
    if (rows.length) await writeOut(this.options.out, this.stringify(rows, { eof: true, quoted_match: /^\s|\s$/ }));
  }
  async end(): Promise<void> {
    // An empty result still gets its header, so a script can tell "no rows" from "no output".
    if (this.columns === undefined) await this.write([]);
  }
}

/**
 * A table for people: one line per record, columns padded to their display width, no borders, so
 * `grep`/`awk` can still cut it. Written page by page as the records arrive. On a terminal the
 * columns are sized by the first page (at most `maxCellWidth`) and a later cell that does not fit
 * is cut with `…`, so the columns stay aligned; when stdout is not a terminal nothing is ever
 * cut: a column widens for the rows after a longer cell.
 */
class TableWriter extends ColumnWriter {
  private widths: number[] | undefined;
  async write(records: readonly CustomerRecord[]): Promise<void> {
    if (records.length === 0) return;
    if (this.options.shape === 'one') {
      await this.writeVertical(records);
      return;
    }
    const columns = this.columnsFor(records, this.options.tableColumns, false);
    const cut = this.options.truncate ?? true;
    const max = this.options.maxCellWidth ?? 40;
    const rows = records.map((r) => columns.map((c) => oneLine(cellText(valueAt(r, c)))));
    const lines: string[] = [];
    const header = columns.map((c) => forTerminal(c));
    await prepareWidths([...header, ...rows.flat()]);
    if (this.widths === undefined) {
      this.widths = header.map((h, i) => {
        const widest = Math.max(displayWidth(h), ...rows.map((row) => displayWidth(row[i]!)));
        return cut ? Math.min(max, widest) : widest;
      });
      const bold = this.options.bold;
      lines.push(joinCells(header.map((h, i) => padToWidth(cut ? truncateToWidth(h, this.widths![i]!) : h, this.widths![i]!)), bold));
    }
    const widths = this.widths;
    for (const row of rows) {
      lines.push(
        joinCells(
          row.map((cell, i) => {
            if (cut) return padToWidth(truncateToWidth(cell, widths[i]!), widths[i]!);
            const w = displayWidth(cell);
            if (w > widths[i]!) widths[i] = w;
            return padToWidth(cell, widths[i]!);
          }),
        ),
      );
    }
    this.count += records.length;
    await writeOut(this.options.out, `${lines.join('\n')}\n`);
  }
  async end(): Promise<void> {}

  /** One customer: every field (or --fields) as "Field  value" lines, nothing cut. */
  private async writeVertical(records: readonly CustomerRecord[]): Promise<void> {
    for (const r of records) {
      const keys = this.options.fields ?? flatKeys(r);
      await prepareWidths(keys.map((k) => forTerminal(k)));
      // Field names come from the server too: shown, never run.
      const width = Math.max(...keys.map((k) => displayWidth(forTerminal(k))));
      const lines = keys.map((k) => {
        const label = padToWidth(forTerminal(k), width);
        return `${this.options.bold ? this.options.bold(label) : label}  ${oneLine(cellText(valueAt(r, k)))}`.trimEnd();
      });
      this.count++;
      await writeOut(this.options.out, `${this.count > 1 ? '\n' : ''}${lines.join('\n')}\n`);
    }
  }
}

/** Cells two spaces apart, trailing blanks trimmed; `bold` for a header line. */
function joinCells(cells: string[], bold?: (text: string) => string): string {
  const line = cells.join('  ').trimEnd();
  return bold ? bold(line) : line;
}

/** A cell on one table line, with every other control character shown, never run (output/terminal.ts). */
function oneLine(text: string): string {
  return forTerminal(text.replace(/[\r\n\t]+/g, ' '));
}
