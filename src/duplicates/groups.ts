// Duplicate groups as shown and saved: the survivor each group merges into (--keep), and the plan
// `poscust merge --plan` carries out, with the values each member had when it was made.
import type { CustomerBackend, CustomerRecord } from '../backends/types.js';
import { writeOut } from '../deps.js';
import { UsageError } from '../errors.js';
import { writeFileAtomically } from '../output/atomic-file.js';
import { cellText, valueAt } from '../output/cells.js';
import { readPlanFile } from '../import/plan.js';
import type { Rule } from './find.js';

export const KEEPS = ['most-points', 'oldest', 'newest', 'most-complete'] as const;
export type Keep = (typeof KEEPS)[number];

export interface Group {
  group: number;
  keep: CustomerRecord;
  merge: CustomerRecord[];
  /** The rule that tied each member in: the survivor's first, then the merged ones'. */
  rules: Rule[];
}

const time = (v: unknown) => {
  const t = Date.parse(cellText(v));
  return Number.isFinite(t) ? t : Infinity;
};
const filled = (r: CustomerRecord) => Object.values(r).filter((v) => v !== null && v !== undefined && v !== '' && !(typeof v === 'string' && v.startsWith('0001-01-01'))).length;

/** Orders a group's records: the survivor first (ties: the oldest, then list order). */
export function chooseSurvivor(backend: CustomerBackend, records: CustomerRecord[], keep: Keep): number {
  const { joinedField, pointsField } = backend.schema;
  const points = (r: CustomerRecord) => (pointsField ? Number(valueAt(r, pointsField) ?? 0) || 0 : 0);
  const joined = (r: CustomerRecord) => (joinedField ? time(valueAt(r, joinedField)) : Infinity);
  let best = 0;
  const better = (a: CustomerRecord, b: CustomerRecord): boolean => {
    const by = keep === 'most-points' ? points(a) - points(b) : keep === 'most-complete' ? filled(a) - filled(b) : keep === 'newest' ? joined(a) - joined(b) : joined(b) - joined(a);
    if (by !== 0 && Number.isFinite(by)) return by > 0;
    return keep !== 'oldest' && keep !== 'newest' ? joined(a) < joined(b) : false;
  };
  records.forEach((r, i) => {
    if (better(r, records[best]!)) best = i;
  });
  return best;
}

// --- the plan ---------------------------------------------------------------------------------

export const MERGE_PLAN_KIND = 'poscust-merge-plan';

export interface PlannedMember {
  id: string;
  code: string | null;
  rule: Rule;
  /** The values the member had when planned: any change since makes its group a conflict. */
  from: Record<string, unknown>;
}

export interface MergePlan {
  kind: typeof MERGE_PLAN_KIND;
  version: 1;
  profile: string | null;
  backend: string;
  baseUrl: string;
  createdAt: string;
  keep: Keep;
  groups: { group: number; keep: PlannedMember; merge: PlannedMember[] }[];
}

export function planMember(backend: CustomerBackend, record: CustomerRecord, rule: Rule, fields: readonly string[]): PlannedMember {
  const from = Object.create(null) as Record<string, unknown>;
  for (const f of fields) from[f] = valueAt(record, f) ?? null;
  const code = backend.schema.codeField ? cellText(valueAt(record, backend.schema.codeField)) || null : null;
  return { id: cellText(valueAt(record, backend.schema.idField)), code, rule, from };
}

/** The fields whose change since the plan makes a group a conflict: what the rules read, the points, the survivor's choice. */
export function plannedFields(backend: CustomerBackend, ruleFields: readonly string[]): string[] {
  const { pointsField, joinedField, flags } = backend.schema;
  return [...new Set([...ruleFields, ...(pointsField ? [pointsField] : []), ...(joinedField ? [joinedField] : []), ...(flags.active ? [flags.active] : [])])];
}

export async function saveMergePlan(path: string, plan: Omit<MergePlan, 'kind' | 'version'>): Promise<void> {
  await writeFileAtomically(path, async (out) => writeOut(out, `${JSON.stringify({ kind: MERGE_PLAN_KIND, version: 1, ...plan }, null, 1)}\n`));
}

export function loadMergePlan(path: string): MergePlan {
  const text = readPlanFile(path).toString('utf8');
  const bad = (why: string) => new UsageError(`plan ${path} is damaged or not a merge plan of poscust duplicates: ${why}; nothing was written`);
  let p: Partial<MergePlan>;
  try {
    p = JSON.parse(text) as Partial<MergePlan>;
  } catch (err) {
    throw bad(`not valid JSON (${(err as Error).message})`);
  }
  if (!p || p.kind !== MERGE_PLAN_KIND) throw bad(`no "kind": "${MERGE_PLAN_KIND}"`);
  if (p.version !== 1) throw bad(`version ${String(p.version)}`);
  if (typeof p.backend !== 'string' || typeof p.baseUrl !== 'string' || !Array.isArray(p.groups)) throw bad('no backend, baseUrl or groups');
  const member = (m: unknown) => !!m && typeof m === 'object' && typeof (m as PlannedMember).id === 'string' && typeof (m as PlannedMember).from === 'object';
  p.groups.forEach((g, i) => {
    if (!g || !member(g.keep) || !Array.isArray(g.merge) || g.merge.length === 0 || !g.merge.every(member)) throw bad(`group ${i + 1} has no keep or merge members`);
  });
  return p as MergePlan;
}
