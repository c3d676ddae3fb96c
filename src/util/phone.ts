// Phone numbers as people write them (`0812-3456-789`, `+62 812 3456 789`, `62812…`, `0812 …`) are
// one number: compared on their E.164 form in the profile's region, checked to be a number that can
// exist there, and written as given unless asked for E.164 or the national form. libphonenumber-js
// (its `min` metadata, about 80 kB) is loaded only by the commands that meet a phone number.
import { UsageError } from '../errors.js';

type Lib = typeof import('libphonenumber-js/min');
type Parsed = NonNullable<ReturnType<Lib['parsePhoneNumberFromString']>>;

export type PhoneFormat = 'e164' | 'national';
export const PHONE_FORMATS: readonly PhoneFormat[] = ['e164', 'national'];

let loaded: Lib | undefined;
async function lib(): Promise<Lib> {
  return (loaded ??= await import('libphonenumber-js/min'));
}

/** A region as given (`id`, `SK`) in its ISO 3166 form, or a usage error saying what was expected. */
export function regionCode(value: string, where: string): string {
  const code = value.trim().toUpperCase();
  if (!/^[A-Z]{2}$/.test(code)) throw new UsageError(`${where} '${value}' is not a region: give a two-letter ISO 3166 code such as ID, SK or GB`);
  return code;
}

/** Phone numbers of one region (or of none: then only numbers written with + can be read). */
export class Phones {
  private constructor(
    private readonly lib: Lib,
    readonly region: string | undefined,
  ) {}

  static async load(region: string | undefined, where = 'the region'): Promise<Phones> {
    const l = await lib();
    if (region !== undefined && !l.isSupportedCountry(region as never)) {
      throw new UsageError(`${where} '${region}' is not a region with phone numbers poscust knows (ISO 3166 alpha-2, such as ID, SK or GB)`);
    }
    return new Phones(l, region);
  }

  /**
   * The number `text` is, parsed once: an import asks the same cell several questions (can it
   * exist, how to write it, what it compares as), and parsing costs about 20 µs a time.
   */
  private parse(text: string): Parsed | undefined {
    const t = text.trim();
    if (this.parsed.has(t)) return this.parsed.get(t);
    let p: Parsed | undefined;
    try {
      p = this.lib.parsePhoneNumberFromString(t, this.region as never);
    } catch {
      p = undefined;
    }
    if (this.parsed.size >= 4096) this.parsed.clear();
    this.parsed.set(t, p);
    return p;
  }

  private readonly parsed = new Map<string, Parsed | undefined>();
  private readonly valid = new WeakMap<Parsed, boolean>();

  /** Whether a parsed number is one of its country (asked once per number). */
  private isValid(p: Parsed | undefined): boolean {
    if (!p) return false;
    let v = this.valid.get(p);
    if (v === undefined) this.valid.set(p, (v = p.isValid()));
    return v;
  }

  /**
   * What two numbers are compared on: E.164 when the text is a number of the region (or written
   * with +), else its digits (with a leading + kept), so `0812 345` and `0812-345` still match.
   */
  key(text: string): string {
    const p = this.parse(text);
    if (this.isValid(p)) return p!.number;
    const t = text.trim();
    return `${t.startsWith('+') ? '+' : ''}${t.replace(/\D/g, '')}`;
  }

  /** Why `text` cannot be a phone number of the region, or undefined when it can (or there is no region to say). */
  problem(text: string): string | undefined {
    const t = text.trim();
    if (this.region === undefined && !t.startsWith('+')) return undefined;
    const p = this.parse(t);
    if (this.isValid(p)) return undefined;
    const where = p?.country ?? this.region;
    const why = this.lib.validatePhoneNumberLength(t, this.region as never);
    const detail = why === 'TOO_SHORT' ? ' (too short)' : why === 'TOO_LONG' ? ' (too long)' : '';
    if (!/\d/.test(t) || why === 'NOT_A_NUMBER') return `'${text}' is not a phone number`;
    return `'${text}' cannot be a phone number${where ? ` in ${where}` : ''}${detail}`;
  }

  /** The number to send: as written, or in E.164 / the region's national form when asked. */
  write(text: string, format: PhoneFormat | undefined): string {
    if (format === undefined) return text;
    const p = this.parse(text);
    if (!this.isValid(p)) return text;
    return format === 'e164' ? p!.number : p!.formatNational();
  }

  /** Whether `write(text, format)` can write this number in `format` (a number of the region, or with +). */
  canFormat(text: string): boolean {
    return this.isValid(this.parse(text));
  }

  /**
   * The forms a server may have stored the number in, the given one first: as typed, E.164, E.164
   * without +, the national digits, the national and international forms as the region writes them.
   */
  variants(text: string): string[] {
    const t = text.trim();
    const forms = [t];
    const p = this.parse(t);
    if (p && this.isValid(p)) {
      const national = p.formatNational();
      forms.push(p.number, p.number.slice(1), national.replace(/\D/g, ''), national, p.formatInternational());
    } else {
      forms.push(t.replace(/[^\d+]/g, ''));
    }
    return [...new Set(forms.filter((f) => f !== ''))];
  }
}
