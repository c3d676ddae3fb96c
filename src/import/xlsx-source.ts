// The rows of an Excel workbook, streamed with exceljs (loaded only for a workbook): one sheet, the
// first unless `--sheet` names another by name or number. Cells become the text a CSV export of the
// sheet would hold, so the rest of the importer cannot tell the two apart: dates as `yyyy-MM-dd`
// (with the time when there is one), numbers exactly as stored (`6289674310221`, never
// `6.28967E+12`), booleans as true/false, formulas as their result, errors as their text (`#N/A`).
// Cells that were numbers are remembered per row: Excel keeps 15 significant digits, so a longer
// code or phone number typed as a number lost its last digits, and a phone number lost its leading 0.
import { createReadStream } from 'node:fs';
import { PassThrough, pipeline, type Readable } from 'node:stream';
import { UsageError } from '../errors.js';
import type { CsvSource, SourceRow } from './csv-source.js';
import { fingerprintFile, surveyRows, type FileScan } from './scan.js';

/** The slice of exceljs's streaming reader poscust uses (its typings leave `name` out). */
interface SheetReader extends AsyncIterable<{ number: number; values: unknown[] | Record<string, unknown> }> {
  id: number | string;
  name: string;
}
interface BookReader extends AsyncIterable<SheetReader> {
  model?: { sheets?: { name: string; id: number }[] };
}
type ExcelJs = { stream: { xlsx: { WorkbookReader: new (input: Readable, options: Record<string, string>) => BookReader } } };

async function excel(): Promise<ExcelJs> {
  const mod = (await import('exceljs')) as unknown as ExcelJs & { default?: ExcelJs };
  return mod.default ?? mod;
}

export interface WorkbookOptions {
  name: string;
  /** A sheet name, or its number from 1, as given to --sheet. */
  sheet?: string;
}

/** The text of one cell; `number` is set when the cell held a number. */
export function cellOf(value: unknown): { text: string; number?: number } {
  if (value === null || value === undefined) return { text: '' };
  if (typeof value === 'string') return { text: value };
  if (typeof value === 'number') return { text: numberText(value), number: value };
  if (typeof value === 'boolean') return { text: String(value) };
  if (value instanceof Date) return { text: dateText(value) };
  if (typeof value === 'object') {
    const v = value as { richText?: { text?: unknown }[]; result?: unknown; formula?: unknown; error?: unknown; text?: unknown };
    if (Array.isArray(v.richText)) return { text: v.richText.map((r) => (typeof r.text === 'string' ? r.text : '')).join('') };
    if ('formula' in v || 'sharedFormula' in v) return cellOf(v.result);
    if (typeof v.error === 'string') return { text: v.error };
    if (v.text !== undefined) return cellOf(v.text);
  }
  return { text: String(value) };
}

/** A number as its exact digits: `6289674310221`, `12.5`, never an exponent. */
export function numberText(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const plain = String(n);
  if (!/e/i.test(plain)) return plain;
  return n.toLocaleString('en-US', { useGrouping: false, maximumFractionDigits: 20, maximumSignificantDigits: 21 });
}

/** `1990-12-31`, or `1990-12-31T13:05:00` when the cell has a time (exceljs reads cells as UTC). */
function dateText(d: Date): string {
  const t = Math.round(d.getTime() / 1000) * 1000;
  if (!Number.isFinite(t)) return '';
  const iso = new Date(t).toISOString();
  return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso.slice(0, 19);
}

/** The cells of a row, from exceljs's 1-based sparse `values`, and which of them were numbers. */
function rowCells(values: unknown[] | Record<string, unknown>, width: number): { cells: string[]; numbers?: Map<number, number> } {
  const list = Array.isArray(values) ? values : [];
  const n = Math.max(width, list.length - 1);
  const cells: string[] = new Array<string>(n).fill('');
  let numbers: Map<number, number> | undefined;
  for (let i = 1; i < list.length; i++) {
    const cell = cellOf(list[i]);
    cells[i - 1] = cell.text;
    if (cell.number !== undefined) (numbers ??= new Map()).set(i - 1, cell.number);
  }
  return numbers ? { cells, numbers } : { cells };
}

/** The sheet `wanted` names, found as the reader meets the sheets; a usage error naming the ones there are. */
async function findSheet(book: BookReader, wanted: string | undefined, name: string): Promise<{ sheet: SheetReader; rest: () => Promise<void> }> {
  const iterator = book[Symbol.asyncIterator]();
  const seen: string[] = [];
  const number = wanted !== undefined && /^\d+$/.test(wanted.trim()) ? Number(wanted) : undefined;
  for (;;) {
    const next = await iterator.next();
    if (next.done) break;
    const sheet = next.value;
    seen.push(sheet.name);
    const order = book.model?.sheets?.findIndex((s) => s.name === sheet.name) ?? -1;
    const position = order >= 0 ? order + 1 : Number(sheet.id);
    const match =
      wanted === undefined ? position === 1 : number !== undefined ? position === number : sheet.name.toLowerCase() === wanted.trim().toLowerCase();
    if (match) return { sheet, rest: async () => void (await iterator.return?.()) };
  }
  if (wanted === undefined) throw new UsageError(`${name} is a workbook without sheets`);
  throw new UsageError(`${name} has no sheet ${number !== undefined ? `number ${number}` : `'${wanted}'`}; its sheets are: ${seen.map((s) => `'${s}'`).join(', ')}`);
}

/** Rows of one sheet as the CSV reader gives them; the header is the first row with a value. */
async function openSheet(input: Readable, options: WorkbookOptions): Promise<CsvSource> {
  const { stream } = await excel();
  const book = new stream.xlsx.WorkbookReader(input, { worksheets: 'emit', sharedStrings: 'cache', styles: 'cache', hyperlinks: 'ignore', entries: 'ignore' });
  let found: Awaited<ReturnType<typeof findSheet>>;
  try {
    found = await findSheet(book, options.sheet, options.name);
  } catch (err) {
    input.destroy();
    throw unreadable(err, options.name);
  }
  const rowsIn = found.sheet[Symbol.asyncIterator]();
  let header: string[] | undefined;
  let headerRow = 0;
  try {
    for (;;) {
      const next = await rowsIn.next();
      if (next.done) break;
      const { cells } = rowCells(next.value.values, 0);
      if (cells.some((c) => c.trim() !== '')) {
        header = cells.map((c) => c.trim());
        headerRow = next.value.number;
        break;
      }
    }
  } catch (err) {
    input.destroy();
    throw unreadable(err, options.name);
  }
  if (!header) {
    input.destroy();
    throw new UsageError(`${options.name}: the sheet has no header row; its first row must name the columns`);
  }
  const width = header.length;
  let closed = false;
  const close = () => {
    closed = true;
    input.destroy();
  };
  async function* rows(): AsyncGenerator<SourceRow> {
    let ordinal = 0;
    try {
      for (;;) {
        let next: IteratorResult<{ number: number; values: unknown[] | Record<string, unknown> }>;
        try {
          next = await rowsIn.next();
        } catch (err) {
          if (closed) return;
          throw unreadable(err, options.name);
        }
        if (next.done) break;
        if (next.value.number <= headerRow) continue;
        const row = rowCells(next.value.values, width);
        if (row.cells.every((c) => c.trim() === '')) continue;
        yield { ordinal: ++ordinal, line: next.value.number, ...row };
      }
      await found.rest();
    } finally {
      close();
    }
  }
  return { header, delimiter: '', rows: rows(), bytesRead: () => 0, close };
}

function unreadable(err: unknown, name: string): UsageError {
  if (err instanceof UsageError) return err;
  return new UsageError(`${name} cannot be read as an Excel workbook (${(err as Error).message}); save it again in Excel, or as CSV UTF-8; nothing was sent`);
}

export function openWorkbook(path: string, options: WorkbookOptions): Promise<CsvSource> {
  const input = new PassThrough();
  pipeline(createReadStream(path), input, () => undefined);
  return openSheet(input, options);
}

/** Reads the sheet once, to the end, and fingerprints the workbook's bytes. */
export async function scanWorkbook(path: string, size: number, options: WorkbookOptions): Promise<FileScan> {
  const [fingerprint, { header, survey }] = await Promise.all([
    fingerprintFile(path, size),
    openWorkbook(path, options).then(async (source) => ({ header: source.header, survey: await surveyRows(source) })),
  ]);
  return { fingerprint, blockLines: [], header, delimiter: '', ...survey };
}
