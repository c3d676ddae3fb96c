// From one backend's customer to another's: the two descriptors' concept tables meet (names, e-mail,
// phones, address, birth date, gender, codes, points, active), `--map Src=Dst` adds or overrides a
// pair and `--map Src=` drops one; values convert through a common form where the vendors write
// them differently (DealPOS's boolean Gender, its Status word). Fields the target has no place for
// are counted, never dropped silently.
import type { Concept, ConceptForm, MigrationDescriptor } from '../backends/descriptor.js';
import type { BackendSchema, CustomerRecord } from '../backends/types.js';
import { UsageError } from '../errors.js';
import { cellText, valueAt } from '../output/cells.js';
import type { Phones } from '../util/phone.js';

export interface FieldPair {
  from: string;
  to: string;
  /** The concept it maps through (conversions), or none for a --map pair (copied as is). */
  concept?: Concept;
  fromForm?: ConceptForm;
  toForm?: ConceptForm;
}

export interface Side {
  name: string;
  schema: BackendSchema;
  migration: MigrationDescriptor;
}

export interface Mapping {
  pairs: FieldPair[];
  /** The target's link field, why it is that one, and the value each source record gives it. */
  link: { field: string; why: string; value(record: CustomerRecord): string };
  /** Source fields no pair takes (reported with counts when they hold something). */
  unplaced: string[];
  /** Name parts, for a target that needs the other shape (a whole name, or first and last). */
  names: { src: Partial<Record<'name' | 'firstName' | 'lastName', string>>; dst: Partial<Record<'name' | 'firstName' | 'lastName', string>> };
}

type Entry = string | { field: string; form: ConceptForm } | undefined;
const entry = (v: Entry) => (v === undefined ? undefined : typeof v === 'string' ? { field: v, form: undefined } : v);

export function buildMapping(src: Side, dst: Side, overrides: readonly string[]): Mapping {
  const pairs = new Map<string, FieldPair>();
  const linkField = dst.migration.link.field;
  const writable = (name: string) => dst.schema.fields.find((f) => f.name === name)?.writable === true;
  const assigned = (name: string) => dst.schema.import?.keys.some((k) => k.field === name && k.serverAssigned) ?? false;
  for (const [concept, s] of Object.entries(src.migration.fields) as [Concept, Entry][]) {
    const a = entry(s);
    const b = entry(dst.migration.fields[concept]);
    if (!a || !b || b.field === linkField || !writable(b.field) || assigned(b.field)) continue;
    pairs.set(a.field, { from: a.field, to: b.field, concept, ...(a.form ? { fromForm: a.form } : {}), ...(b.form ? { toForm: b.form } : {}) });
  }
  const srcNames = src.schema.fields.map((f) => f.name);
  const dstNames = dst.schema.fields.filter((f) => f.writable).map((f) => f.name);
  for (const o of overrides) {
    const at = o.indexOf('=');
    const from = o.slice(0, at).trim();
    const to = o.slice(at + 1).trim();
    if (at < 0 || !from) throw new UsageError(`--map '${o}': expected "SourceField=TargetField" (or "SourceField=" to drop it)`);
    if (!srcNames.includes(from)) throw new UsageError(`--map '${o}': ${src.name} has no field '${from}'; its fields: ${srcNames.join(', ')}`);
    if (to === '') {
      pairs.delete(from);
      continue;
    }
    if (!dstNames.includes(to)) throw new UsageError(`--map '${o}': ${dst.name} has no writable field '${to}'; its fields: ${dstNames.join(', ')}`);
    if (to === linkField) throw new UsageError(`--map '${o}': ${to} holds the link to the source customer on ${dst.name}`);
    pairs.set(from, { from, to });
  }
  const srcCode = entry(src.migration.fields.code)?.field;
  const taken = new Set([...pairs.keys(), src.schema.idField, ...(srcCode ? [srcCode] : [])]);
  // A whole name travels as its parts (and parts as a whole name): not lost.
  for (const k of ['name', 'firstName', 'lastName'] as const) {
    const f = entry(src.migration.fields[k])?.field;
    if (f) taken.add(f);
  }
  const names = (side: Side) => {
    const out: Mapping['names']['src'] = {};
    for (const k of ['name', 'firstName', 'lastName'] as const) {
      const e = entry(side.migration.fields[k]);
      if (e) out[k] = e.field;
    }
    return out;
  };
  const tagged = dst.migration.link.form === 'tagged';
  return {
    pairs: [...pairs.values()],
    unplaced: src.schema.fields.filter((f) => f.writable && !taken.has(f.name)).map((f) => f.name),
    names: { src: names(src), dst: names(dst) },
    link: {
      field: linkField,
      why: dst.migration.link.why,
      value: (record) => {
        const code = srcCode ? cellText(valueAt(record, srcCode)).trim() : '';
        const id = cellText(valueAt(record, src.schema.idField)).trim();
        return tagged ? `poscust:${src.name}:${id}` : code || id;
      },
    },
  };
}

/** A value in its common form (gender 'female'/'male', active true/false), from a native one. */
function common(value: unknown, form: ConceptForm | undefined): unknown {
  switch (form) {
    case 'female-true':
      return typeof value === 'boolean' ? (value ? 'female' : 'male') : undefined;
    case 'female-male': {
      const v = cellText(value).trim().toLowerCase();
      return v === 'female' || v === 'f' ? 'female' : v === 'male' || v === 'm' ? 'male' : undefined;
    }
    case 'status-word':
      return typeof value === 'string' ? value.toLowerCase() === 'active' : undefined;
    case 'boolean':
      return typeof value === 'boolean' ? value : undefined;
    default:
      return value;
  }
}

function native(value: unknown, form: ConceptForm | undefined): unknown {
  if (value === undefined) return undefined;
  switch (form) {
    case 'female-true':
      return value === 'female' ? true : value === 'male' ? false : undefined;
    case 'female-male':
      return value === 'female' || value === 'male' ? value : undefined;
    case 'status-word':
      return value === true ? 'Active' : value === false ? 'Suspended' : undefined;
    default:
      return value;
  }
}

export interface ConvertContext {
  /** The source shop's phone numbers; set when the two shops' regions differ. */
  phones?: Phones;
  /** Target fields that are dates (written yyyy-MM-dd). */
  dates: ReadonlySet<string>;
}

/** A source record as the target's fields (dotted names), the link first. */
export function convert(mapping: Mapping, record: CustomerRecord, ctx: ConvertContext): Map<string, unknown> {
  const values = new Map<string, unknown>();
  values.set(mapping.link.field, mapping.link.value(record));
  for (const p of mapping.pairs) {
    let v: unknown = native(common(valueAt(record, p.from), p.fromForm), p.toForm);
    if (v === undefined || v === null || v === '') continue;
    if ((p.concept === 'mobile' || p.concept === 'phone') && ctx.phones && typeof v === 'string' && !v.trim().startsWith('+') && ctx.phones.canFormat(v)) {
      // Read in the source shop's region, written so that the target's region cannot misread it.
      v = ctx.phones.write(v, 'e164');
    }
    if (ctx.dates.has(p.to) && typeof v === 'string') v = v.startsWith('0001-01-01') ? undefined : v.slice(0, 10);
    if (v !== undefined) values.set(p.to, v);
  }
  // A target that needs the other shape of a name: the whole name from its parts, or the parts from it.
  const { src, dst } = mapping.names;
  const text = (f: string | undefined) => (f ? cellText(valueAt(record, f)).trim() : '');
  const whole = text(src.name) || [text(src.firstName), text(src.lastName)].filter(Boolean).join(' ');
  if (dst.name && !values.has(dst.name) && whole) values.set(dst.name, whole);
  if (dst.firstName && dst.lastName && !values.has(dst.firstName) && !values.has(dst.lastName) && whole) {
    const parts = whole.split(/\s+/);
    if (parts.length > 1) values.set(dst.firstName, parts.slice(0, -1).join(' '));
    values.set(dst.lastName, parts[parts.length - 1]!);
  }
  return values;
}

/** The source fields with a value that no pair took, for the report. */
export function unplacedIn(mapping: Mapping, record: CustomerRecord): string[] {
  return mapping.unplaced.filter((f) => {
    const v = valueAt(record, f);
    return v !== undefined && v !== null && v !== '' && v !== false && !(typeof v === 'string' && v.startsWith('0001-01-01'));
  });
}
