// The options of an import job, and how they name it: in its journal (a resume must read the file
// and its cells the same way) and in the command that resumes it.
import { basename, dirname, extname, join } from 'node:path';
import type { PhoneFormat } from '../util/phone.js';
import type { ImportMode } from './columns.js';
import type { DatePattern } from './dates.js';
import type { InputFormat } from './input.js';

export interface ImportOptions {
  /** A file, or `-` for stdin. */
  file: string;
  mode: ImportMode;
  key?: string;
  map: string[];
  delimiter?: string;
  /** --encoding: how to read a CSV file without a byte order mark (default UTF-8). */
  encoding?: string;
  /** --sheet: a workbook's sheet by name or 1-based number (default the first). */
  sheet?: string;
  /** --date-format: how the file writes dates. */
  dateFormat?: DatePattern;
  /** --clear-value: the cell text that clears a field. */
  clearValue?: string;
  /** --phone-format: write phone numbers normalized instead of as given. */
  phoneFormat?: PhoneFormat;
  dryRun: boolean;
  concurrency?: number;
  rate?: number;
  rejects?: string;
  report?: string;
  resume: boolean;
  journal?: string;
  /** --diff (dry run): collect every change, field by field. */
  diff?: boolean;
  /** --save-plan: write the changes as a plan to this file (a dry run). */
  savePlan?: string;
  /** Run once per profile (--profiles): the profile's name goes into the default side files' names. */
  tag?: string;
  /** apply: the rows come from this saved plan (`file` is its path). */
  applyPlan?: import('./plan.js').LoadedPlan;
}

/** How cells are read, for the journal: a resume must read them the same way. '' for the defaults. */
export function describeRules(o: ImportOptions, region: string | undefined): string {
  const parts: string[] = [];
  if (o.dateFormat) parts.push(`--date-format ${o.dateFormat}`);
  if (o.clearValue !== undefined) parts.push(`--clear-value ${JSON.stringify(o.clearValue)}`);
  if (o.phoneFormat) parts.push(`--phone-format ${o.phoneFormat}`);
  if (region) parts.push(`region ${region}`);
  return parts.join(' ');
}

/** How the file was read, for the journal: a resume must read it the same way. */
export function describeFormat(format: InputFormat): string {
  return format.kind === 'xlsx' ? `xlsx sheet ${format.sheet ?? '1'}` : format.encoding;
}

/** `customers.csv` -> `customers.rejects.csv` beside it (`customers.<tag>.rejects.csv` per profile); stdin -> `import.rejects.csv` here. */
export function defaultRejectsPath(file: string, tag?: string): string {
  const t = tag ? `.${tag}` : '';
  if (file === '-') return `import${t}.rejects.csv`;
  const ext = extname(file);
  return join(dirname(file), `${basename(file, ext)}${t}.rejects.csv`);
}

export function resumeCommand(o: ImportOptions, key: string): string {
  const q = (s: string) => (/^[\w./:@%+-]+$/.test(s) ? s : `'${s.replace(/'/g, "'\\''")}'`);
  const args = ['poscust', 'import', q(o.file), '--mode', o.mode, '--key', key];
  for (const m of o.map) args.push('--map', q(m));
  if (o.delimiter) args.push('--delimiter', o.delimiter === '\t' ? 'tab' : q(o.delimiter));
  if (o.encoding) args.push('--encoding', q(o.encoding));
  if (o.sheet) args.push('--sheet', q(o.sheet));
  if (o.dateFormat) args.push('--date-format', o.dateFormat);
  if (o.clearValue !== undefined) args.push('--clear-value', q(o.clearValue));
  if (o.phoneFormat) args.push('--phone-format', o.phoneFormat);
  if (o.journal) args.push('--journal', q(o.journal));
  args.push('--resume');
  return args.join(' ');
}
