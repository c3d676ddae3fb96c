// `poscust merge --plan merges.json`: each group of a duplicates plan merged into its survivor
// (DealPOS's Merge endpoint), or, where a backend has no merge, with --suspend-others the others made
// inactive (after --fill-gaps copied over the fields the survivor lacks). A group whose customers
// changed or vanished since the plan was made is a conflict: listed, left alone. Every write goes
// through the history, so `undo` restores it.
import { requireVerb } from '../backends/capabilities.js';
import { readByIds } from '../backends/read-many.js';
import { refuseOtherShop } from '../import/plan.js';
import type { CustomerBackend, CustomerRecord } from '../backends/types.js';
import { InterruptedError, PartialError, PoscustError, UnsupportedError, UsageError } from '../errors.js';
import { cellText, valueAt } from '../output/cells.js';
import type { MergePlan, PlannedMember } from './groups.js';

export interface MergeRunOptions {
  suspendOthers: boolean;
  fillGaps: boolean;
  signal: AbortSignal;
}

export interface GroupOutcome {
  group: number;
  keep: string;
  result: 'merged' | 'suspended' | 'conflict' | 'failed';
  note: string;
}

/** Refuses a plan for another shop, or a backend that cannot merge without --suspend-others. */
export function checkMergePlan(plan: MergePlan, file: string, here: { profile: string | null; backend: string; baseUrl: string }, backend: CustomerBackend, o: MergeRunOptions): void {
  refuseOtherShop(plan, file, here, 'run poscust duplicates again for this shop');
  if (o.fillGaps && !o.suspendOthers) throw new UsageError('--fill-gaps goes with --suspend-others (a merge keeps the survivor as it is, plus the points)');
  if (o.suspendOthers) requireVerb(backend, 'setSuspended', 'suspend');
  else if (!backend.verbs.has('merge')) {
    throw new UnsupportedError(backend.name, 'merge', `${backend.name} has no merge; pass --suspend-others to make every customer but the survivor inactive instead (with --fill-gaps to copy the fields the survivor lacks first)`);
  }
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

/** Why a planned member no longer matches the server, or null. */
function moved(m: PlannedMember, now: CustomerRecord | undefined): string | null {
  if (!now) return `${m.code ?? m.id} is gone`;
  for (const [field, was] of Object.entries(m.from)) {
    const is = valueAt(now, field) ?? null;
    if (!same(is, was)) return `${m.code ?? m.id}: ${field} is now ${JSON.stringify(is)}, planned from ${JSON.stringify(was)}`;
  }
  return null;
}

export async function runMergePlan(backend: CustomerBackend, plan: MergePlan, o: MergeRunOptions): Promise<GroupOutcome[]> {
  const all = plan.groups.flatMap((g) => [g.keep, ...g.merge].map((m) => m.id));
  const current = await readByIds(backend, all);
  const out: GroupOutcome[] = [];
  for (const g of plan.groups) {
    if (o.signal.aborted) throw new InterruptedError(`interrupted after ${out.length} of ${plan.groups.length} groups; the groups done are in the history (poscust history)`);
    const keep = g.keep.code ?? g.keep.id;
    const why = [g.keep, ...g.merge].map((m) => moved(m, current.get(m.id))).find((w) => w !== null);
    if (why) {
      out.push({ group: g.group, keep, result: 'conflict', note: `changed since the plan was made: ${why}` });
      continue;
    }
    const records = [g.keep, ...g.merge].map((m) => current.get(m.id)!);
    try {
      if (!o.suspendOthers) {
        await backend.merge(g.keep.id, g.merge.map((m) => m.id), { records });
        out.push({ group: g.group, keep, result: 'merged', note: `${g.merge.map((m) => m.code ?? m.id).join(', ')} merged into ${keep}` });
        continue;
      }
      const filled: string[] = [];
      if (o.fillGaps) {
        const gaps: CustomerRecord = {};
        for (const f of backend.schema.fields) {
          if (!f.writable || f.name.includes('.') || f.name === backend.schema.codeField) continue;
          if (cellText(valueAt(records[0]!, f.name)) !== '') continue;
          const donor = records.slice(1).find((r) => cellText(valueAt(r, f.name)) !== '');
          if (donor) gaps[f.name] = valueAt(donor, f.name);
        }
        if (Object.keys(gaps).length) {
          await backend.update({ by: 'id', value: g.keep.id }, gaps, { current: records[0]! });
          filled.push(...Object.keys(gaps));
        }
      }
      for (const m of g.merge) await backend.setSuspended({ by: 'id', value: m.id }, true);
      out.push({
        group: g.group,
        keep,
        result: 'suspended',
        note: `${g.merge.map((m) => m.code ?? m.id).join(', ')} made inactive${filled.length ? `; ${keep} got ${filled.join(', ')} from them` : ''}`,
      });
    } catch (err) {
      if (err instanceof InterruptedError || (err instanceof PoscustError && (err.exitCode === 4 || err.exitCode === 6))) throw err;
      out.push({ group: g.group, keep, result: 'failed', note: err instanceof Error ? err.message : String(err) });
    }
  }
  return out;
}

export function outcomeError(outcomes: readonly GroupOutcome[]): PartialError | null {
  const stuck = outcomes.filter((x) => x.result === 'conflict' || x.result === 'failed');
  if (!stuck.length) return null;
  const conflicts = stuck.filter((x) => x.result === 'conflict').length;
  return new PartialError(`${stuck.length} of ${outcomes.length} groups not merged (${conflicts} changed since the plan was made, ${stuck.length - conflicts} failed); run poscust duplicates again for a fresh plan`);
}
