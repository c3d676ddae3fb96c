// The bytes of an import file as text. UTF-8 (a BOM is fine) is the default and is checked, not
// assumed: a file Excel saved as Windows-1252 would otherwise import with every accented letter
// turned into U+FFFD. UTF-16 is read when its BOM says so; a legacy encoding only when the user
// names it (`--encoding`, decoded by iconv-lite: Node's own TextDecoder reads windows-1252's
// 0x80-0x9F, € “ ” Œ Ž among them, as control characters). Text that cannot be decoded, or that
// holds U+FFFD anywhere, stops the job with the line and column and what to do.
import { closeSync, openSync, readSync } from 'node:fs';
import { isUtf8 } from 'node:buffer';
import { Transform, type TransformCallback } from 'node:stream';
import { UsageError } from '../errors.js';

const REPLACEMENT = Buffer.from([0xef, 0xbf, 0xbd]);

/** The encodings --encoding names in its help; iconv-lite knows many more. */
export const LEGACY_ENCODINGS = ['windows-1250', 'windows-1252', 'iso-8859-1', 'iso-8859-2'] as const;

type Iconv = typeof import('iconv-lite');
let iconvModule: Iconv | undefined;
async function iconv(): Promise<Iconv> {
  return (iconvModule ??= ((await import('iconv-lite')) as unknown as { default: Iconv }).default);
}

/** A name iconv-lite knows, in its canonical spelling, or a usage error listing the usual ones. */
export async function checkEncoding(name: string): Promise<string> {
  const lib = await iconv();
  const canonical = name.trim().toLowerCase();
  if (!lib.encodingExists(canonical)) {
    throw new UsageError(`--encoding '${name}' is not an encoding poscust knows; use one of ${LEGACY_ENCODINGS.join(', ')}, utf-8 or utf-16le`);
  }
  return canonical;
}

/** What the first bytes say: a UTF-16 or UTF-8 byte order mark, else nothing. */
export function encodingFromBom(head: Buffer): 'utf-16le' | 'utf-16be' | 'utf-8' | undefined {
  if (head[0] === 0xff && head[1] === 0xfe) return 'utf-16le';
  if (head[0] === 0xfe && head[1] === 0xff) return 'utf-16be';
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return 'utf-8';
  return undefined;
}

/** The first bytes of a file. */
export function readHeadBytes(path: string, length = 1024 * 1024): Buffer {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(length);
    return buf.subarray(0, readSync(fd, buf, 0, length, 0));
  } finally {
    closeSync(fd);
  }
}

/**
 * Which legacy encoding text that is not UTF-8 most likely is: the Central European one when its
 * letters (č ř ě ů ľ ĺ ň ť ď ő ű) make more sense of the bytes than the Western ones do.
 */
export async function guessLegacy(sample: Buffer): Promise<string> {
  const lib = await iconv();
  const score = (text: string, letters: RegExp) => (text.match(letters) ?? []).length;
  const central = score(lib.decode(sample, 'windows-1250'), /[čďěňřšťůžľĺŕőűČĎĚŇŘŠŤŮŽĽĹŔŐŰ]/g);
  const western = score(lib.decode(sample, 'windows-1252'), /[àâæçèêëîïñôœùûüÿÀÂÆÇÈÊËÎÏÑÔŒÙÛÜŸäößÄÖ€“”‘’…–—]/g);
  return central > western ? 'windows-1250' : 'windows-1252';
}

/** Where in the text an offending spot is: line and column (characters), both from 1. */
interface Position {
  line: number;
  column: number;
}

/** A text position from the number of lines before it and the text of its line up to it. */
function positionOf(linesBefore: number, lineStart: string): Position {
  return { line: linesBefore + 1, column: [...lineStart].length + 1 };
}

/**
 * A stream from the file's bytes to UTF-8 bytes for the CSV parser, checking as it goes. `name` is
 * the file for messages; `path` lets a UTF-8 error guess the encoding from the file's start.
 */
export async function decoder(encoding: string, name: string, path?: string): Promise<Transform> {
  if (encoding === 'utf-8') return new Utf8Checker(name, path);
  const lib = await iconv();
  return new LegacyDecoder(lib.getDecoder(encoding), encoding, name);
}

/** Passes UTF-8 through unchanged, refusing invalid sequences and U+FFFD with their position. */
class Utf8Checker extends Transform {
  private carry = Buffer.alloc(0);
  private lines = 0;
  /** The bytes of the current line so far (only kept up to a few KiB, for the column). */
  private lineStart = Buffer.alloc(0);

  constructor(
    private readonly name: string,
    private readonly path: string | undefined,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    const data = this.carry.length ? Buffer.concat([this.carry, chunk]) : chunk;
    const cut = completeLength(data);
    const whole = data.subarray(0, cut);
    this.carry = Buffer.from(data.subarray(cut));
    if (!isUtf8(whole) || whole.includes(REPLACEMENT)) {
      void this.refuse(whole).then((err) => done(err), done);
      return;
    }
    this.advance(whole);
    done(null, whole);
  }

  override _flush(done: TransformCallback): void {
    if (this.carry.length) {
      void this.refuse(this.carry).then((err) => done(err), done);
      return;
    }
    done();
  }

  /** Counts the lines of text that passed. */
  private advance(text: Buffer): void {
    let at = text.indexOf(10);
    let last = -1;
    while (at !== -1) {
      this.lines++;
      last = at;
      at = text.indexOf(10, at + 1);
    }
    this.lineStart = last === -1 ? Buffer.concat([this.lineStart, text]).subarray(-4096) : Buffer.from(text.subarray(last + 1).subarray(-4096));
  }

  private async refuse(data: Buffer): Promise<UsageError> {
    const bad = firstInvalid(data);
    const before = data.subarray(0, bad);
    this.advance(before);
    const at = positionOf(this.lines, this.lineStart.toString('utf8'));
    const where = `line ${at.line}, column ${at.column}`;
    if (data.subarray(bad, bad + 3).equals(REPLACEMENT)) {
      return new UsageError(
        `${this.name} holds a replacement character (U+FFFD) at ${where}: it was damaged when it was converted to UTF-8 before; ` +
          'import the original file, naming its encoding with --encoding',
      );
    }
    const guess = await guessLegacy(this.path ? readHeadBytes(this.path) : data);
    return new UsageError(
      `${this.name} is not UTF-8: at ${where} the byte 0x${data[bad]!.toString(16).toUpperCase().padStart(2, '0')} cannot be read as UTF-8. ` +
        `It looks like ${guess} (as Excel saves CSV on Windows): run the import again with --encoding ${guess}; nothing was sent`,
    );
  }
}

/** The length of `data` without an incomplete UTF-8 sequence at its end (to be completed by the next chunk). */
function completeLength(data: Buffer): number {
  for (let back = 1; back <= 3 && back <= data.length; back++) {
    const byte = data[data.length - back]!;
    if ((byte & 0xc0) === 0x80) continue; // a continuation byte: look further back
    const need = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return need > back ? data.length - back : data.length;
  }
  return data.length;
}

/** The offset of the first byte that is not valid UTF-8, or of the first U+FFFD. */
function firstInvalid(data: Buffer): number {
  let i = 0;
  while (i < data.length) {
    const b = data[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    const need = b >= 0xf0 && b <= 0xf4 ? 4 : b >= 0xe0 ? 3 : b >= 0xc2 && b <= 0xdf ? 2 : 0;
    if (need === 0 || i + need > data.length) return i;
    const seq = data.subarray(i, i + need);
    if (!isUtf8(seq)) return i;
    if (seq.equals(REPLACEMENT)) return i;
    i += need;
  }
  return data.length;
}

/** Decodes a legacy or UTF-16 encoding to UTF-8, refusing characters it cannot map (U+FFFD). */
class LegacyDecoder extends Transform {
  private lines = 0;
  private lineStart = '';

  constructor(
    private readonly impl: { write(b: Buffer): string; end(): string | undefined },
    private readonly encoding: string,
    private readonly name: string,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.forward(this.impl.write(chunk), done);
  }

  override _flush(done: TransformCallback): void {
    this.forward(this.impl.end() ?? '', done);
  }

  private forward(text: string, done: TransformCallback): void {
    const bad = text.indexOf('\uFFFD');
    if (bad !== -1) {
      const before = text.slice(0, bad);
      const linesIn = before.split('\n');
      const at = positionOf(this.lines + linesIn.length - 1, linesIn.length > 1 ? linesIn[linesIn.length - 1]! : this.lineStart + before);
      done(
        new UsageError(
          `${this.name} cannot be read as ${this.encoding}: line ${at.line}, column ${at.column} holds a byte that ${this.encoding} has no character for; ` +
            'check the encoding the file was saved in (--encoding); nothing was sent',
        ),
      );
      return;
    }
    let last = -1;
    for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) {
      this.lines++;
      last = at;
    }
    this.lineStart = last === -1 ? (this.lineStart + text).slice(-4096) : text.slice(last + 1).slice(-4096);
    done(null, Buffer.from(text, 'utf8'));
  }
}
