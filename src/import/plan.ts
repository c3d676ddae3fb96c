// Saved plans: what an import would do, row by row and field by field, with the server's values it
// was computed from. `import --save-plan` writes one (nothing else is written); `poscust apply`
// reads it back as the rows of an import whose every write must still find those values.
import { createHash } from 'node:crypto';
import { fsCause } from '../util/fs-error.js';
import { readRegularFile } from '../util/regular-file.js';
import { writeOut } from '../deps.js';
import { UsageError } from '../errors.js';
import { refuseForbiddenName } from '../backends/schema.js';
import { writeFileAtomically } from '../output/atomic-file.js';
import type { ColumnPlan } from './columns.js';
import type { PlannedRow, SourceRow } from './csv-source.js';
import type { RowChange } from './runner.js';
import type { FileFingerprint, FileScan } from './scan.js';

export const PLAN_KIND = 'poscust-plan';
export const PLAN_VERSION = 1;

export interface PlanRow {
  line: number;
  action: 'create' | 'update';
  key: string;
  id?: string;
  /** The fields to set, by native name. */
  set: Record<string, unknown>;
  /** The server's values of those fields when planned (update). */
  from: Record<string, unknown>;
}

export interface PlanFile {
  kind: typeof PLAN_KIND;
  version: number;
  profile: string | null;
  backend: string;
  baseUrl: string;
  createdAt: string;
  source: { file: string; sha256: string };
  /** The import key: its native field, and its name for --key. */
  key: string;
  keyName: string;
  /** Every field some row sets, in the file's column order. */
  fields: string[];
  rows: PlanRow[];
}

/** A dry run's changes as plan rows, in file order. */
export function planRows(plan: ColumnPlan, changes: readonly RowChange[]): PlanRow[] {
  return [...changes]
    .sort((a, b) => a.line - b.line)
    .map((c) => {
      const set = Object.create(null) as Record<string, unknown>;
      const from = Object.create(null) as Record<string, unknown>;
      c.fields.forEach((i, j) => {
        const name = plan.writes[i]!.field.name;
        set[name] = c.to[j] ?? null;
        if (c.action === 'update') from[name] = c.from[j] ?? null;
      });
      return { line: c.line, action: c.action, key: c.key, ...(c.id !== undefined ? { id: c.id } : {}), set, from };
    });
}

export async function savePlan(path: string, plan: Omit<PlanFile, 'kind' | 'version'>): Promise<void> {
  const doc: PlanFile = { kind: PLAN_KIND, version: PLAN_VERSION, ...plan };
  await writeFileAtomically(path, async (out) => {
    await writeOut(out, `${JSON.stringify(doc, null, 1)}\n`);
  });
}

export type LoadedPlan = ReturnType<typeof loadPlan>;

/** A plan is applied only where it was made: the same backend, base URL and profile (exit 2 otherwise). */
export function refuseOtherShop(
  plan: { profile?: string | null; backend: string; baseUrl: string },
  file: string,
  here: { profile: string | null; backend: string; baseUrl: string },
  remedy: string,
): void {
  for (const what of ['backend', 'baseUrl', 'profile'] as const) {
    if ((plan[what] ?? null) !== here[what]) throw new UsageError(`plan ${file} was made for ${what} ${JSON.stringify(plan[what] ?? null)}, not ${JSON.stringify(here[what])}; ${remedy}`);
  }
}

/** A plan file's bytes (import --save-plan's, or duplicates'); unreadable is exit 2 naming it. */
export function readPlanFile(path: string): Buffer {
  try {
    return readRegularFile(path);
  } catch (err) {
    throw new UsageError(`cannot read plan ${path}: ${fsCause(err)}`);
  }
}

/** Reads and checks a plan file; anything unreadable is exit 2 naming the file and what is wrong. */
export function loadPlan(path: string): { plan: PlanFile; sha256: string; size: number } {
  const bytes = readPlanFile(path);
  const bad = (why: string) => new UsageError(`plan ${path} is damaged or not a poscust plan: ${why}; nothing was written`);
  let doc: unknown;
  try {
    doc = JSON.parse(bytes.toString('utf8'));
  } catch (err) {
    throw bad(`not valid JSON (${(err as Error).message})`);
  }
  const p = doc as Partial<PlanFile>;
  if (!p || typeof p !== 'object' || p.kind !== PLAN_KIND) throw bad('no "kind": "poscust-plan"');
  if (p.version !== PLAN_VERSION) throw bad(`version ${String(p.version)} (this poscust reads version ${PLAN_VERSION})`);
  if (typeof p.backend !== 'string' || typeof p.baseUrl !== 'string' || typeof p.key !== 'string' || typeof p.keyName !== 'string') throw bad('no backend, baseUrl or key');
  if (!Array.isArray(p.fields) || !p.fields.every((f) => typeof f === 'string')) throw bad('"fields" is not a list of names');
  if (!Array.isArray(p.rows)) throw bad('"rows" is not a list');
  for (const name of [p.key, ...p.fields]) refuseForbiddenName(name, `plan ${path} field`);
  p.rows.forEach((r, i) => {
    const where = `row ${i + 1}`;
    if (!r || typeof r !== 'object') throw bad(`${where} is not an object`);
    if (r.action !== 'create' && r.action !== 'update') throw bad(`${where} has action ${JSON.stringify(r.action)}`);
    if (typeof r.key !== 'string' || typeof r.line !== 'number') throw bad(`${where} has no key or line`);
    if (r.action === 'update' && typeof r.id !== 'string') throw bad(`${where} updates without an id`);
    for (const part of [r.set, r.from]) {
      if (!part || typeof part !== 'object' || Array.isArray(part)) throw bad(`${where}: "set" and "from" must be objects`);
      for (const name of Object.keys(part)) if (!p.fields!.includes(name)) throw bad(`${where} sets ${name}, which "fields" does not list`);
    }
  });
  return { plan: p as PlanFile, sha256: createHash('sha256').update(bytes).digest('hex'), size: bytes.length };
}

/** A plan as the input of an import: a header (key, then the fields), its rows typed already, a fingerprint. */
export function planInput(loaded: ReturnType<typeof loadPlan>): { scan: FileScan; rows: (plan: ColumnPlan) => AsyncIterable<SourceRow> } {
  const { plan } = loaded;
  const header = [plan.key, ...plan.fields.filter((f) => f !== plan.key)];
  const fingerprint: FileFingerprint = { size: loaded.size, sha256: loaded.sha256, blockSize: loaded.size || 1, blocks: [loaded.sha256.slice(0, 16)] };
  const scan: FileScan = { fingerprint, blockLines: [1], header, delimiter: ',', rows: plan.rows.length, unnamedWithData: [] };
  const rows = async function* (columns: ColumnPlan): AsyncIterable<SourceRow> {
    let ordinal = 0;
    for (const r of plan.rows) {
      ordinal++;
      const valueOf = (name: string): unknown => (name === plan.key && !Object.hasOwn(r.set, name) ? r.key : Object.hasOwn(r.set, name) ? r.set[name] : undefined);
      const planned: PlannedRow = {
        values: columns.writes.map((w) => valueOf(w.field.name)),
        key: r.key,
        action: r.action,
        ...(r.id !== undefined ? { id: r.id } : {}),
        from: columns.writes.map((w) => (Object.hasOwn(r.from, w.field.name) ? r.from[w.field.name] : undefined)),
      };
      const cells = header.map((h) => {
        const v = valueOf(h);
        return v === undefined || v === null ? '' : typeof v === 'string' ? v : JSON.stringify(v);
      });
      yield { ordinal, line: r.line, cells, planned };
    }
  };
  return { scan, rows };
}
