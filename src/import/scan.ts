// One pass over an import file before anything is sent: it must be readable as CSV to the end (a
// quote never closed would otherwise swallow every row after it), its rows are counted (progress,
// and whether to list the shop's customers or look each row up), columns without a header must
// hold no data, and its content is fingerprinted, whole, so that `--resume` can refuse a file that
// changed anywhere since the interrupted run and say from which line.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { Transform, type TransformCallback } from 'node:stream';
import { openCsvSource } from './csv-source.js';

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
  /** The physical line each block starts on (1-based), parallel to `fingerprint.blocks`. */
  blockLines: number[];
  header: string[];
  delimiter: string;
  /** Data rows (blank lines not counted). */
  rows: number;
  /** Columns with an empty header and data in some row: their position (0-based) and that row's line. */
  unnamedWithData: { index: number; line: number }[];
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

/** Reads `path` once, to the end. Throws UsageError (csv-source.ts) when it is not readable CSV. */
export async function scanCsvFile(path: string, size: number, options: { delimiter?: string; name: string }): Promise<FileScan> {
  const hasher = new Fingerprinter(blockSizeFor(size));
  const input = createReadStream(path).pipe(hasher);
  const source = await openCsvSource(input, options);
  let rows = 0;
  const unnamed = source.header.flatMap((name, index) => (name === '' ? [index] : []));
  const firstData = new Map<number, number>();
  try {
    for await (const row of source.rows) {
      rows++;
      for (const index of unnamed) {
        if (!firstData.has(index) && (row.cells[index] ?? '').trim() !== '') firstData.set(index, row.line);
      }
    }
  } finally {
    source.close();
  }
  // The parser may stop before the last bytes (trailing blank lines): hash the rest too.
  await new Promise<void>((resolve, reject) => {
    if (hasher.writableFinished) return resolve();
    hasher.on('finish', resolve).on('error', reject);
    hasher.resume();
  });
  return {
    fingerprint: hasher.fingerprint(),
    blockLines: hasher.blockLines,
    header: source.header,
    delimiter: source.delimiter,
    rows,
    unnamedWithData: [...firstData].map(([index, line]) => ({ index, line })),
  };
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
  const n = Math.min(before.blocks.length, fp.blocks.length);
  let i = 0;
  while (i < n && before.blocks[i] === fp.blocks[i]) i++;
  const line = (now.blockLines[Math.min(i, now.blockLines.length - 1)] ?? 1).toLocaleString('en-US');
  if (i === n && before.blocks.length !== fp.blocks.length) {
    return fp.size > (before.size ?? 0) ? `rows were added after line ${line}` : `rows were removed after line ${line}`;
  }
  return `its content differs from about line ${line} on (${before.size === fp.size ? 'same size' : `${before.size} bytes then, ${fp.size} now`})`;
}
