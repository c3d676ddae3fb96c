// The rows of an Excel workbook, read with read-excel-file (loaded only for a workbook): one sheet,
// the first unless `--sheet` names another by name or number. Cells become the text a CSV export of
// the sheet would hold, so the rest of the importer cannot tell the two apart: dates as `yyyy-MM-dd`
// (with the time when there is one), numbers exactly as the file stores them (`6289674310221`,
// never `6.28967E+12`), booleans as true/false, formulas as their result. Cells that were numbers
// are remembered per row: Excel keeps 15 significant digits, so a longer code or phone number typed
// as a number lost its last digits, and a phone number lost its leading 0.
//
// Why read-excel-file: it is maintained (by the author of libphonenumber-js), has a handful of
// dependencies, and decodes each part of the workbook whole. exceljs's streaming reader, tried
// first, is unmaintained since January 2024 and, here, silently dropped the shared strings of a
// two-sheet workbook laid out as Excel saves it (cells came back as {sharedString: n}); it also
// decodes UTF-8 chunk by chunk, which can split a letter into U+FFFD. read-excel-file holds the
// sheet in memory while it parses (about 290 MB for 100,000 rows, measured by `npm run bench`).
import { UsageError } from '../errors.js';
import { guardCell, unguardCell } from '../output/csv-guard.js';
import type { CsvSource, SourceRow } from './csv-source.js';
import { fingerprintFile, surveyRows, type FileScan } from './scan.js';

export interface WorkbookOptions {
  name: string;
  /** A sheet name, or its number from 1, as given to --sheet. */
  sheet?: string;
}

/** A number cell, as the workbook writes it (read-excel-file's parseNumber hands us the text). */
class NumberCell {
  constructor(readonly text: string) {}
}

/** The text of one cell; `number` is set when the cell held a number. */
export function cellOf(value: unknown): { text: string; number?: number } {
  if (value === null || value === undefined) return { text: '' };
  if (value instanceof NumberCell) {
    const n = Number(value.text);
    return { text: /e/i.test(value.text) ? numberText(n) : value.text, number: n };
  }
  if (typeof value === 'string') return { text: value };
  if (typeof value === 'number') return { text: numberText(value), number: value };
  if (typeof value === 'boolean') return { text: String(value) };
  if (value instanceof Date) return { text: dateText(value) };
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

/** The cells of a row, at least `width` of them, and which of them were numbers. */
function rowCells(values: readonly unknown[], width: number): { cells: string[]; numbers?: Map<number, number> } {
  // Trailing empty cells past the header are no cells (Excel keeps formatting there).
  let n = values.length;
  while (n > width && cellOf(values[n - 1]).text === '') n--;
  const cells: string[] = new Array<string>(Math.max(width, n)).fill('');
  let numbers: Map<number, number> | undefined;
  for (let i = 0; i < n; i++) {
    const cell = cellOf(values[i]);
    // Guarded as a CSV cell would be, so that the importer's unguard gives back the text exactly.
    cells[i] = cell.number === undefined ? guardCell(cell.text) : cell.text;
    if (cell.number !== undefined) (numbers ??= new Map()).set(i, cell.number);
  }
  return numbers ? { cells, numbers } : { cells };
}

type ReadExcel = typeof import('read-excel-file/node');

/** The sheet's rows as read-excel-file gives them, or a usage error that says what to do. */
async function readRows(path: string, options: WorkbookOptions): Promise<unknown[][]> {
  const lib: ReadExcel = await import('read-excel-file/node');
  const wanted = options.sheet?.trim();
  const sheet = wanted === undefined ? undefined : /^\d+$/.test(wanted) ? Number(wanted) : wanted;
  const read = (which: string | number | undefined) =>
    lib.readSheet<NumberCell>(path, which ?? 1, { trim: false, parseNumber: (text: string) => new NumberCell(text) }) as Promise<unknown[][]>;
  try {
    return await read(sheet);
  } catch (err) {
    if (err instanceof lib.SheetNotFoundError) {
      // Sheet names are matched whatever their letter case, as Excel's own references do.
      const sheets = (err as unknown as { sheets?: string[] }).sheets ?? [];
      const same = typeof sheet === 'string' ? sheets.find((s) => s.toLowerCase() === sheet.toLowerCase()) : undefined;
      if (same !== undefined) return read(same);
      const which = typeof sheet === 'number' ? `number ${sheet}` : `'${String(sheet)}'`;
      throw new UsageError(`${options.name} has no sheet ${which}; its sheets are: ${sheets.map((s) => `'${s}'`).join(', ')}`);
    }
    throw new UsageError(`${options.name} cannot be read as an Excel workbook (${(err as Error).message}); save it again in Excel, or as CSV UTF-8; nothing was sent`);
  }
}

/** Rows of one sheet as the CSV reader gives them; the header is the first row with a value. */
export async function openWorkbook(path: string, options: WorkbookOptions): Promise<CsvSource> {
  const data = await readRows(path, options);
  const headerIndex = data.findIndex((row) => row.some((v) => cellOf(v).text.trim() !== ''));
  if (headerIndex < 0) throw new UsageError(`${options.name}: the sheet has no header row; its first row must name the columns`);
  const header = rowCells(data[headerIndex]!, 0).cells.map((c) => unguardCell(c.trim()));
  let closed = false;
  async function* rows(): AsyncGenerator<SourceRow> {
    let ordinal = 0;
    for (let i = headerIndex + 1; i < data.length && !closed; i++) {
      const row = rowCells(data[i]!, header.length);
      // Lines are the sheet's row numbers, as Excel shows them.
      if (row.cells.some((c) => c.trim() !== '')) yield { ordinal: ++ordinal, line: i + 1, ...row };
      data[i] = []; // what was handed on is not kept
    }
  }
  return {
    header,
    delimiter: '',
    rows: rows(),
    bytesRead: () => 0,
    close: () => {
      closed = true;
    },
  };
}

/** Reads the sheet once, to the end, and fingerprints the workbook's bytes. */
export async function scanWorkbook(path: string, size: number, options: WorkbookOptions): Promise<FileScan> {
  const [fingerprint, { header, survey }] = await Promise.all([
    fingerprintFile(path, size),
    openWorkbook(path, options).then(async (source) => ({ header: source.header, survey: await surveyRows(source) })),
  ]);
  return { fingerprint, blockLines: [], header, delimiter: '', ...survey };
}
