// What an import file is, told from its content and never from its name: an Excel workbook (a zip
// that starts `PK`), a legacy `.xls` (refused, with what to do), or CSV text whose encoding is its
// byte order mark, else `--encoding`, else UTF-8 (checked as it is read: decode.ts). The same
// choice reads the file twice: once whole to scan it before the first request (scan.ts), once row
// by row for the run.
import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream';
import { UsageError } from '../errors.js';
import { openCsvSource, type CsvSource } from './csv-source.js';
import { checkEncoding, decoder, encodingFromBom, readHeadBytes } from './decode.js';
import { scanCsvFile, type FileScan } from './scan.js';

export type InputFormat = { kind: 'csv'; encoding: string } | { kind: 'xlsx'; sheet?: string };

export interface InputChoice {
  /** --encoding, as given. */
  encoding?: string;
  /** --sheet, as given (a name or a 1-based number). */
  sheet?: string;
  delimiter?: string;
}

const ZIP = Buffer.from('PK\x03\x04', 'latin1');
const OLE = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);

/**
 * How to read `path`. `warn` is told when an option does not apply (a BOM overrules --encoding; a
 * workbook has no encoding or delimiter; a CSV file has no sheets).
 */
export async function identifyInput(path: string, name: string, choice: InputChoice, warn: (text: string) => void): Promise<InputFormat> {
  const head = readHeadBytes(path, 64 * 1024);
  if (head.subarray(0, 4).equals(ZIP)) {
    if (choice.encoding !== undefined) warn(`${name} is an Excel workbook: --encoding does not apply to it`);
    if (choice.delimiter !== undefined) warn(`${name} is an Excel workbook: --delimiter does not apply to it`);
    return { kind: 'xlsx', ...(choice.sheet !== undefined ? { sheet: choice.sheet } : {}) };
  }
  if (head.subarray(0, 8).equals(OLE)) {
    throw new UsageError(`${name} is an Excel 97-2003 workbook (.xls), which poscust does not read; save it as .xlsx or as CSV UTF-8 in Excel and import that`);
  }
  if (choice.sheet !== undefined) throw new UsageError(`--sheet is for Excel workbooks; ${name} is not one (it reads as text)`);
  const bom = encodingFromBom(head);
  const named = choice.encoding === undefined ? undefined : await checkEncoding(choice.encoding);
  if (bom) {
    if (named !== undefined && !sameEncoding(named, bom)) {
      warn(`${name} starts with a ${bom.toUpperCase()} byte order mark: read as ${bom.toUpperCase()}, not as --encoding ${choice.encoding}`);
    }
    return { kind: 'csv', encoding: bom };
  }
  if (named === undefined && looksLikeUtf16(head)) {
    const which = head[0] === 0 ? 'utf-16be' : 'utf-16le';
    throw new UsageError(`${name} looks like UTF-16 text without a byte order mark; run the import again with --encoding ${which}; nothing was sent`);
  }
  return { kind: 'csv', encoding: named === undefined || sameEncoding(named, 'utf-8') ? 'utf-8' : named };
}

function sameEncoding(a: string, b: string): boolean {
  const plain = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');
  return plain(a) === plain(b);
}

/** Text where every other byte of the first few hundred is NUL: UTF-16 (of mostly Latin text). */
function looksLikeUtf16(head: Buffer): boolean {
  const n = Math.min(head.length, 512) & ~1;
  if (n < 4) return false;
  let evenNul = 0;
  let oddNul = 0;
  for (let i = 0; i < n; i += 2) {
    if (head[i] === 0) evenNul++;
    if (head[i + 1] === 0) oddNul++;
  }
  const pairs = n / 2;
  return evenNul > pairs * 0.6 || oddNul > pairs * 0.6;
}

/** Reads the whole file once: readable to the end, counted, fingerprinted (scan.ts). */
export async function scanInput(path: string, size: number, format: InputFormat, options: { delimiter?: string; name: string }): Promise<FileScan> {
  if (format.kind === 'xlsx') {
    const { scanWorkbook } = await import('./xlsx-source.js');
    return scanWorkbook(path, size, { name: options.name, sheet: format.sheet });
  }
  return scanCsvFile(path, size, { ...options, encoding: format.encoding });
}

/** The rows of the file for the run, in the format the scan settled (and with its delimiter). */
export async function openInput(path: string, format: InputFormat, scan: FileScan, name: string): Promise<CsvSource> {
  if (format.kind === 'xlsx') {
    const { openWorkbook } = await import('./xlsx-source.js');
    return openWorkbook(path, { name, sheet: format.sheet });
  }
  const text = await decoder(format.encoding, name, path);
  pipeline(createReadStream(path), text, () => undefined);
  try {
    const source = await openCsvSource(text, { delimiter: scan.delimiter, name });
    return {
      ...source,
      close: () => {
        source.close();
        text.destroy();
      },
    };
  } catch (err) {
    text.destroy();
    throw err;
  }
}
