// The rows of an import file, streamed: csv-parse takes off a BOM, copes with CRLF, quoted newlines
// and delimiters inside quotes; the delimiter is detected from the header line unless given. Text
// that cannot be read as CSV to the end (a quote never closed, a row over 1 MiB) is a usage error
// naming the line where the bad row starts: the importer scans a file whole before it sends
// anything (scan.ts), so this stops a job before its first request, never half-way.
//
// Line numbers are counted here, not taken from csv-parse: its `info.lines` counts a CRLF inside a
// quoted cell as two lines (csv-parse 7.0.3), which would point a user at the wrong line.
import { Readable } from 'node:stream';
import { UsageError } from '../errors.js';
import { unguardCell } from '../output/csv-guard.js';

export interface SourceRow {
  /** 1-based position among the data rows (blank lines not counted): the row's id in the journal. */
  ordinal: number;
  /** Line of the file where the row starts. */
  line: number;
  cells: string[];
  /** Cells that were numbers in a workbook, by position, with their value (xlsx-source.ts). */
  numbers?: ReadonlyMap<number, number>;
  /** A row of a saved plan (apply): its values already typed, and what the server held when planned. */
  planned?: PlannedRow;
  /** A row whose values are typed already (migrate: another backend's customer), parallel to the plan's columns. */
  preparsed?: { values: unknown[]; key: string };
}

/** A row of a plan as the runner applies it: written only where the server still holds `from`. */
export interface PlannedRow {
  values: unknown[];
  key: string;
  action: 'create' | 'update';
  /** The customer's ID when planned (update). */
  id?: string;
  /** The server's values the change was computed from, parallel to the plan's columns (update). */
  from: unknown[];
}

export interface CsvSource {
  header: string[];
  delimiter: string;
  rows: AsyncIterable<SourceRow>;
  /** Bytes handed to the parser so far (progress). */
  bytesRead(): number;
  /** Stops reading (the rows were not all wanted: a usage error, a fatal one). */
  close(): void;
}

const CANDIDATES = [',', ';', '\t'];
/** Excel's first line naming the delimiter (`sep=;`), after an optional BOM. */
const SEP_LINE = /^(?:\uFEFF)?sep=(.)\r?\n/i;
/** A record larger than this is malformed (an unclosed quote), not a reason to hold the file in memory. */
export const MAX_RECORD_BYTES = 1024 * 1024;

/** Why csv-parse stopped, said for a person, at the line where the bad row starts. */
function unreadable(name: string, line: number, err: unknown): UsageError {
  const code = (err as { code?: string }).code;
  const why =
    code === 'CSV_QUOTE_NOT_CLOSED'
      ? 'a quoted cell that starts here is never closed, so the rest of the file would be read as one cell'
      : code === 'CSV_MAX_RECORD_SIZE'
        ? `the row that starts here is longer than ${MAX_RECORD_BYTES / 1048576} MiB (a quote never closed?)`
        : (err as Error).message;
  return new UsageError(`${name} cannot be read as CSV from line ${line} on: ${why}; fix the file and run the import again (nothing was sent)`);
}

/** The delimiter the header line uses most, outside quotes; ',' when it has none. */
export function detectDelimiter(headerText: string): string {
  const counts = new Map<string, number>(CANDIDATES.map((c) => [c, 0]));
  let quoted = false;
  for (const ch of headerText) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '\n' || ch === '\r')) break;
    else if (!quoted && counts.has(ch)) counts.set(ch, counts.get(ch)! + 1);
  }
  let best = ',';
  for (const c of CANDIDATES) if (counts.get(c)! > counts.get(best)!) best = c;
  return best;
}

function lineBreaks(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) n++;
    else if (c === 13) {
      n++;
      if (text.charCodeAt(i + 1) === 10) i++;
    }
  }
  return n;
}

/** The chunks without their first `n` bytes. */
function dropBytes(chunks: Buffer[], n: number): Buffer[] {
  const out: Buffer[] = [];
  let left = n;
  for (const c of chunks) {
    if (left >= c.length) {
      left -= c.length;
      continue;
    }
    out.push(left > 0 ? c.subarray(left) : c);
    left = 0;
  }
  return out;
}

/** Reads until the first line break outside quotes (or the end), keeping what was read. */
async function readHead(chunks: AsyncIterator<Buffer | string>): Promise<{ head: Buffer[]; text: string }> {
  const head: Buffer[] = [];
  let text = '';
  while (!hasLineBreak(text.replace(SEP_LINE, '')) && text.length <= MAX_RECORD_BYTES) {
    const next = await chunks.next();
    if (next.done) break;
    const buf = typeof next.value === 'string' ? Buffer.from(next.value) : next.value;
    head.push(buf);
    text += buf.toString('utf8');
  }
  return { head, text };
}

function hasLineBreak(text: string): boolean {
  let quoted = false;
  for (const ch of text) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '\n' || ch === '\r')) return true;
  }
  return false;
}

/**
 * Opens `input` as CSV and reads its header. Throws UsageError when there is no header row. The
 * rows are pulled one at a time: the parser stops reading while the caller is busy (backpressure).
 */
export async function openCsvSource(input: Readable, options: { delimiter?: string; name: string }): Promise<CsvSource> {
  const { parse } = await import('csv-parse');
  const chunks = input[Symbol.asyncIterator]() as AsyncIterator<Buffer | string>;
  let head: Buffer[];
  let text: string;
  try {
    ({ head, text } = await readHead(chunks));
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError(`cannot read ${options.name}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  // Excel's own first line `sep=;` names the delimiter; it is not a row of the file.
  const sep = SEP_LINE.exec(text);
  if (sep) head = dropBytes(head, Buffer.byteLength(sep[0], 'utf8'));
  const delimiter = options.delimiter ?? sep?.[1] ?? detectDelimiter(text.replace(/^\uFEFF/, ''));
  let bytes = 0;
  async function* feed(): AsyncGenerator<Buffer> {
    for (const b of head) {
      bytes += b.length;
      yield b;
    }
    for (;;) {
      const next = await chunks.next();
      if (next.done) return;
      const b = typeof next.value === 'string' ? Buffer.from(next.value) : next.value;
      bytes += b.length;
      yield b;
    }
  }
  const parser = parse({
    bom: true,
    delimiter,
    relax_column_count: true,
    relax_quotes: true,
    max_record_size: MAX_RECORD_BYTES,
  });
  // One chunk of read-ahead: the parser, not a buffer of chunks, sets the pace.
  const feeder = Readable.from(feed(), { highWaterMark: 1 });
  feeder.on('error', (err) => parser.destroy(err));
  feeder.pipe(parser);
  // Records are taken from the parser's buffer with read() while it has them, waiting only when it
  // is empty: a stream's async iterator cost several promises and a callback per record, a
  // bulk import's largest share of CPU after the network.
  let ended = false;
  let failure: unknown;
  let wake: (() => void) | null = null;
  const rouse = () => {
    const w = wake;
    wake = null;
    w?.();
  };
  parser.on('readable', rouse);
  parser.on('end', () => {
    ended = true;
    rouse();
  });
  parser.on('error', (err) => {
    failure ??= err;
    rouse();
  });

  let first: IteratorResult<string[]>;
  let line = sep ? 2 : 1;
  const next = async (): Promise<IteratorResult<string[]>> => {
    for (;;) {
      if (failure !== undefined) throw failure instanceof UsageError ? failure : unreadable(options.name, line, failure);
      const record = parser.read() as string[] | null;
      if (record !== null) return { done: false, value: record };
      if (ended) return { done: true, value: undefined };
      await new Promise<void>((resolve) => (wake = resolve));
    }
  };
  // Blank lines before the header are skipped like blank lines anywhere.
  do {
    first = await next();
    if (!first.done) line += 1 + first.value.reduce((n, c) => n + lineBreaks(c), 0);
  } while (!first.done && first.value.every((c) => c.trim() === ''));
  if (first.done) {
    parser.destroy();
    throw new UsageError(`${options.name} has no header row; the first line must name the columns`);
  }
  // Header cells lose the formula guard like any cell, so a guarded export imports back.
  const header = first.value.map((c) => unguardCell(c.trim()));

  async function* rows(): AsyncGenerator<SourceRow> {
    let ordinal = 0;
    try {
      for (;;) {
        const record = await next();
        if (record.done) break;
        const cells = record.value;
        const start = line;
        line += 1 + cells.reduce((n, c) => n + lineBreaks(c), 0);
        if (cells.every((c) => c.trim() === '')) continue;
        yield { ordinal: ++ordinal, line: start, cells };
      }
    } finally {
      close();
    }
  }
  const close = () => {
    feeder.destroy();
    parser.destroy();
  };
  return { header, delimiter, rows: rows(), bytesRead: () => bytes, close };
}
