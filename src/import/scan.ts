// One pass over an import file before anything is sent: it must be readable as CSV to the end (a
// quote never closed would otherwise swallow every row after it), its rows are counted (progress,
// and whether to list the shop's customers or look each row up), columns without a header must
// hold no data, and its content is fingerprinted, whole, so that `--resume` can refuse a file that
// changed anywhere since the interrupted run and say from which line.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { pipeline, Transform, Writable, type TransformCallback } from 'node:stream';
import { finished, pipeline as pipelineAsync } from 'node:stream/promises';
import { openCsvSource, type CsvSource } from './csv-source.js';
import { decoder } from './decode.js';

export interface FileFingerprint {
  size: number;
  sha256: string;
  /** Bytes per block of `blocks`. */
  blockSize: number;
  /** The first 16 hex digits of each block's SHA-256, in order. */
  blocks: string[];
}

export interface FileScan {
  fingerprint: FileFingerprint;
  /** The physical line each block starts on (1-based), parallel to `fingerprint.blocks`; empty for a workbook. */
  blockLines: number[];
  header: string[];
  delimiter: string;
  /** Data rows (blank lines not counted). */
  rows: number;
  /** Columns with an empty header and data in some row: their position (0-based) and that row's line. */
  unnamedWithData: { index: number; line: number }[];
  /** Columns where a workbook holds numbers (0-based): a phone number typed as one lost its leading 0. */
  numericColumns?: number[];
}

/** At most about 4,096 blocks, each a power of two of at least 64 KiB. */
function blockSizeFor(size: number): number {
  let block = 64 * 1024;
  while (size / block > 4096) block *= 2;
  return block;
}

/** Hashes what passes through: the whole stream and each block, counting lines to each block's start. */
class Fingerprinter extends Transform {
  private readonly whole = createHash('sha256');
  private block = createHash('sha256');
  private inBlock = 0;
  private lines = 1;
  private size = 0;
  readonly blocks: string[] = [];
  readonly blockLines: number[] = [1];

  constructor(private readonly blockSize: number) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.whole.update(chunk);
    this.size += chunk.length;
    let offset = 0;
    while (offset < chunk.length) {
      const take = Math.min(chunk.length - offset, this.blockSize - this.inBlock);
      const part = chunk.subarray(offset, offset + take);
      this.block.update(part);
      for (let i = 0; i < part.length; i++) if (part[i] === 10) this.lines++;
      this.inBlock += take;
      offset += take;
      if (this.inBlock === this.blockSize) {
        this.blocks.push(this.block.digest('hex').slice(0, 16));
        this.block = createHash('sha256');
        this.inBlock = 0;
        this.blockLines.push(this.lines);
      }
    }
    done(null, chunk);
  }

  override _flush(done: TransformCallback): void {
    if (this.inBlock > 0) this.blocks.push(this.block.digest('hex').slice(0, 16));
    else this.blockLines.pop();
    done();
  }

  fingerprint(): FileFingerprint {
    return { size: this.size, sha256: this.whole.digest('hex'), blockSize: this.blockSize, blocks: this.blocks };
  }
}

/** Counts the rows of `source` to its end, noting columns without a header that hold data. */
export async function surveyRows(source: CsvSource): Promise<Pick<FileScan, 'rows' | 'unnamedWithData' | 'numericColumns'>> {
  let rows = 0;
  const unnamed = source.header.flatMap((name, index) => (name === '' ? [index] : []));
  const firstData = new Map<number, number>();
  const numeric = new Set<number>();
  try {
    for await (const row of source.rows) {
      rows++;
      if (row.numbers) for (const index of row.numbers.keys()) numeric.add(index);
      for (const index of unnamed) {
        if (!firstData.has(index) && (row.cells[index] ?? '').trim() !== '') firstData.set(index, row.line);
      }
    }
  } finally {
    source.close();
  }
  return {
    rows,
    unnamedWithData: [...firstData].map(([index, line]) => ({ index, line })),
    ...(numeric.size ? { numericColumns: [...numeric].sort((a, b) => a - b) } : {}),
  };
}

/** The fingerprint of a file's bytes, read on their own (a workbook's reader stops before its end). */
export async function fingerprintFile(path: string, size: number): Promise<FileFingerprint> {
  const hasher = new Fingerprinter(blockSizeFor(size));
  await pipelineAsync(createReadStream(path), hasher, new Writable({ write: (_c, _e, done) => done() }));
  return hasher.fingerprint();
}

/**
 * Reads `path` once, to the end, decoding it as `encoding` (decode.ts). Throws UsageError when it is
 * not text in that encoding or not readable CSV.
 */
export async function scanCsvFile(path: string, size: number, options: { delimiter?: string; name: string; encoding: string }): Promise<FileScan> {
  const hasher = new Fingerprinter(blockSizeFor(size));
  const text = await decoder(options.encoding, options.name, path);
  // Errors anywhere reach `text`, whose reader (the CSV parser) reports them.
  pipeline(createReadStream(path), hasher, text, () => undefined);
  let source: CsvSource;
  let survey: Awaited<ReturnType<typeof surveyRows>>;
  try {
    source = await openCsvSource(text, options);
    survey = await surveyRows(source);
  } catch (err) {
    text.destroy();
    throw err;
  }
  // The parser may stop before the last bytes (trailing blank lines): hash the rest too.
  text.resume();
  await finished(hasher, { readable: false });
  return { fingerprint: hasher.fingerprint(), blockLines: hasher.blockLines, header: source.header, delimiter: source.delimiter, ...survey };
}

/**
 * How `now` differs from `before` in words ("it differs from line 1,204 on"), or null when it is
 * the same file.
 */
export function describeChange(before: Partial<FileFingerprint> | undefined, now: FileScan): string | null {
  const fp = now.fingerprint;
  if (before?.sha256 === fp.sha256 && before.size === fp.size) return null;
  if (!before?.sha256 || !Array.isArray(before.blocks) || before.blockSize !== fp.blockSize) {
    return 'it is not the file the journal describes (or the journal is from an older poscust)';
  }
  // A workbook is a zip: a change anywhere moves every byte after it, and it has no lines to name.
  if (now.blockLines.length === 0) return 'the workbook was changed and saved again';
  const n = Math.min(before.blocks.length, fp.blocks.length);
  let i = 0;
  while (i < n && before.blocks[i] === fp.blocks[i]) i++;
  const line = (now.blockLines[Math.min(i, now.blockLines.length - 1)] ?? 1).toLocaleString('en-US');
  if (i === n && before.blocks.length !== fp.blocks.length) {
    return fp.size > (before.size ?? 0) ? `rows were added after line ${line}` : `rows were removed after line ${line}`;
  }
  return `its content differs from about line ${line} on (${before.size === fp.size ? 'same size' : `${before.size} bytes then, ${fp.size} now`})`;
}
