// Dates as spreadsheets write them. `--date-format` names the one pattern of the file's date columns;
// without it a date must be `yyyy-MM-dd` (what every export writes). A date that is impossible
// (31/02), has a two-digit year, or could be read two ways is the row's rejection with the reason,
// never a guess: 03/04/1990 is the 3rd of April in Jakarta and the 4th of March in Chicago.
import { isValidDate } from '../backends/schema.js';
import { UsageError } from '../errors.js';

export const DATE_PATTERNS = ['dd/MM/yyyy', 'MM/dd/yyyy', 'dd.MM.yyyy', 'yyyy-MM-dd'] as const;
export type DatePattern = (typeof DATE_PATTERNS)[number];

export function datePattern(value: string): DatePattern {
  const found = DATE_PATTERNS.find((p) => p.toLowerCase() === value.trim().toLowerCase());
  if (!found) throw new UsageError(`--date-format '${value}': use one of ${DATE_PATTERNS.join(', ')}`);
  return found;
}

const ISO = /^(\d{4})-(\d{1,2})-(\d{1,2})$/;
const SLASHED = /^(\d{1,4})([./-])(\d{1,2})\2(\d{1,4})$/;
const TIME = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/;

/** The parts of `text` in `pattern`'s order, or undefined when it is not written that way. */
function parts(text: string, pattern: DatePattern): { d: string; m: string; y: string } | undefined {
  const iso = ISO.exec(text);
  if (iso) return { y: iso[1]!, m: iso[2]!, d: iso[3]! };
  if (pattern === 'yyyy-MM-dd') return undefined;
  const m = SLASHED.exec(text);
  const sep = pattern === 'dd.MM.yyyy' ? '.' : '/';
  if (!m || m[2] !== sep) return undefined;
  return pattern === 'MM/dd/yyyy' ? { m: m[1]!, d: m[3]!, y: m[4]! } : { d: m[1]!, m: m[3]!, y: m[4]! };
}

/** A date cell as `yyyy-MM-dd` (with `THH:mm:ss` when `withTime` and the cell has a time), or why not. */
export function readDate(raw: string, field: string, pattern: DatePattern | undefined, withTime: boolean): { value: string } | { reason: string } {
  const text = raw.trim();
  const [day, time, ...rest] = text.split(/\s+|T(?=\d{1,2}:)/);
  const p = day !== undefined && rest.length === 0 ? parts(day, pattern ?? 'yyyy-MM-dd') : undefined;
  if (!p) return { reason: `${field}: '${raw}' is not a date ${pattern ? `in ${pattern}` : 'in yyyy-MM-dd'}${pattern ? '' : hint(day ?? '')}` };
  if (p.y.length !== 4) return { reason: `${field}: '${raw}' has a ${p.y.length}-digit year; write the year in full (1990, not 90)` };
  const iso = `${p.y}-${p.m.padStart(2, '0')}-${p.d.padStart(2, '0')}`;
  if (!isValidDate(iso)) return { reason: `${field}: '${raw}' is not a date that exists${pattern ? ` (read as ${pattern})` : ''}` };
  if (time === undefined) return { value: withTime ? `${iso}T00:00:00` : iso };
  const t = TIME.exec(time.replace(/(\.0+)?Z?$/, ''));
  if (!withTime || !t || Number(t[1]) > 23 || Number(t[2]) > 59 || Number(t[3] ?? 0) > 59) {
    // `yyyy-MM-ddT00:00:00`, as exports write a date, is still a date.
    if (!withTime && t && Number(t[1]) + Number(t[2]) + Number(t[3] ?? 0) === 0) return { value: iso };
    return { reason: `${field}: '${raw}' is not a ${withTime ? 'date-time' : 'date'}` };
  }
  return { value: `${iso}T${t[1]!.padStart(2, '0')}:${t[2]}:${t[3] ?? '00'}` };
}

/** What to pass for a date written with slashes or dots, said as a hint; '' when it does not look like one. */
function hint(text: string): string {
  const m = SLASHED.exec(text);
  if (!m || m[1]!.length > 2) return '';
  const [a, b] = [Number(m[1]), Number(m[3])];
  const sep = m[2];
  if (sep === '.') return '; pass --date-format dd.MM.yyyy';
  if (sep === '-') return `; write it as yyyy-MM-dd, or pass the file's --date-format (${DATE_PATTERNS.join(', ')})`;
  if (a > 12 && b <= 12) return `; pass --date-format dd${sep}MM${sep}yyyy`;
  if (b > 12 && a <= 12) return `; pass --date-format MM${sep}dd${sep}yyyy`;
  return `; it could be read as dd${sep}MM${sep}yyyy or MM${sep}dd${sep}yyyy: say which with --date-format`;
}
