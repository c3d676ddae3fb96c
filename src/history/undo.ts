// Undo: a job's writes reverted in reverse order, each only where the customer still holds what
// the job wrote. An updated field goes back to its before-value if it still holds the value the job
// wrote (else: a conflict, listed, the field left as it is now); a created customer is deleted (or
// suspended where the backend cannot delete); a deleted customer is created again from its
// before-image (with a new ID); suspensions and verifications are flipped back; a merge is undone
// by creating the merged-away customers again and restoring the survivor's changed fields.
// An undo is a job itself: an interrupted one is continued by running it again, which skips the
// writes an earlier undo of the same job already reverted.
import { comparable } from '../import/rows.js';
import { createOnce } from '../backends/create-once.js';
import { retryRow } from '../http/retry-policy.js';
import { clientKeysOf, findByKey } from '../backends/find.js';
import { findField, refuseForbiddenName } from '../backends/schema.js';
import type { CustomerBackend, CustomerRecord, Lookup } from '../backends/types.js';
import type { Clock } from '../deps.js';
import { InterruptedError, NotFoundError, PoscustError, TemporaryError } from '../errors.js';
import { cellText, valueAt } from '../output/cells.js';
import type { WriteEntry } from './format.js';

export type StepResult = 'reverted' | 'would revert' | 'already' | 'conflict' | 'not undoable' | 'failed';

export interface StepReport {
  write: number;
  op: WriteEntry['op'];
  /** The customer, as the job named it (ID, or the lookup). */
  customer: string;
  result: StepResult;
  /** Field by field: what the undo sets (or would), and conflicts. */
  changes?: Record<string, { from: unknown; to: unknown }>;
  conflicts?: Record<string, { now: unknown; jobWrote: unknown }>;
  /** A customer created again: its new ID (the vendor gives a new one). */
  newId?: string;
  note?: string;
}

export interface UndoContext {
  backend: CustomerBackend;
  clock: Clock;
  signal: AbortSignal;
  dryRun: boolean;
  /** Tells the history which write of the undone job the next write reverts. */
  reverting(n: number): void;
  /** The writes an earlier, interrupted undo sent without learning the outcome. */
  inDoubt: ReadonlySet<number>;
}

/** The ID a write's customer has, when the history knows it. */
export function idOfWrite(w: WriteEntry): string | undefined {
  return w.id ?? w.resultId ?? (w.lookup?.by === 'id' ? w.lookup.value : undefined);
}

function same(backend: CustomerBackend, name: string, a: unknown, b: unknown): boolean {
  const field = findField(backend.schema, name);
  if (!field) return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
  return comparable(field, a ?? null, false) === comparable(field, b ?? null, false);
}

/** Flat dotted names to a nested record, never through a prototype. */
export function nest(flat: Record<string, unknown>): CustomerRecord {
  const out: CustomerRecord = {};
  for (const [name, value] of Object.entries(flat)) {
    const parts = name.split('.');
    for (const p of parts) refuseForbiddenName(p, 'history field');
    let cur = out;
    for (const p of parts.slice(0, -1)) {
      if (!Object.hasOwn(cur, p) || typeof cur[p] !== 'object' || cur[p] === null) cur[p] = {};
      cur = cur[p] as CustomerRecord;
    }
    cur[parts[parts.length - 1]!] = value;
  }
  return out;
}

/** A whole record as a create would send it: writable native fields only (the server assigns the rest). */
function creatable(backend: CustomerBackend, record: Record<string, unknown>): CustomerRecord {
  const flat: Record<string, unknown> = {};
  for (const f of backend.schema.fields) {
    if (!f.writable) continue;
    const v = valueAt(record, f.name);
    if (v !== undefined && v !== null && v !== '') flat[f.name] = v;
  }
  return nest(flat);
}

/**
 * The retry policy of a row (http/retry-policy.ts). Every write an undo sends sets values it
 * computed, so sending it again after a lost answer changes nothing more: it counts as not applied.
 */
async function retrying<T>(ctx: UndoContext, fn: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      const wait = retryRow({ temporary: err instanceof TemporaryError, maybeApplied: false }, attempt);
      if (wait === null) throw err;
      try {
        await ctx.clock.sleep(wait, ctx.signal);
      } catch {
        throw new InterruptedError();
      }
    }
  }
}

/** Fields of `after` that still hold what the job wrote go back to `before`; the others are conflicts. */
function revertFields(backend: CustomerBackend, current: CustomerRecord, before: Record<string, unknown>, after: Record<string, unknown>) {
  const set: Record<string, unknown> = {};
  const changes: NonNullable<StepReport['changes']> = {};
  const conflicts: NonNullable<StepReport['conflicts']> = {};
  for (const name of Object.keys(after)) {
    const now = valueAt(current, name);
    const was = before[name] ?? null;
    if (same(backend, name, now, was)) continue; // already as before
    if (same(backend, name, now, after[name])) {
      set[name] = was;
      changes[name] = { from: now ?? null, to: was };
    } else {
      conflicts[name] = { now: now ?? null, jobWrote: after[name] ?? null };
    }
  }
  return { set, changes, conflicts };
}

/** Reverts one write (or says what it would do). Throws only what must stop the whole undo. */
export async function undoWrite(ctx: UndoContext, w: WriteEntry, current: Map<string, CustomerRecord>): Promise<StepReport> {
  const { backend } = ctx;
  const id = idOfWrite(w);
  const customer = id ?? (w.lookup ? `${w.lookup.by} ${w.lookup.value}` : '?');
  const base = { write: w.n, op: w.op, customer };
  const lookup: Lookup = id ? { by: 'id', value: id } : w.lookup!;
  const act = ctx.dryRun ? 'would revert' : 'reverted';
  ctx.reverting(w.n);
  try {
    switch (w.op) {
      case 'update': {
        const now = id ? current.get(id) : undefined;
        if (!now) return { ...base, result: 'conflict', note: 'the customer is gone' };
        if (!w.before) return { ...base, result: 'not undoable', note: 'the answer was lost before the old values were known' };
        const { set, changes, conflicts } = revertFields(backend, now, w.before ?? {}, w.after ?? {});
        const conflicted = Object.keys(conflicts).length > 0;
        if (Object.keys(set).length === 0) return { ...base, result: conflicted ? 'conflict' : 'already', ...(conflicted ? { conflicts } : {}) };
        if (!ctx.dryRun) await retrying(ctx, () => backend.update(lookup, nest(set), { current: now, before: Object.fromEntries(Object.keys(set).map((k) => [k, valueAt(now, k) ?? null])) }));
        return { ...base, result: conflicted ? 'conflict' : act, changes, ...(conflicted ? { conflicts } : {}) };
      }
      case 'create': {
        let target = id;
        if (!target) {
          // The answer was lost: the customer is looked up by the keys it was sent with.
          for (const { key, value } of clientKeysOf(backend, w.after ?? {})) {
            const found = await retrying(ctx, () => findByKey(backend, key, value));
            if (found && found !== 'unknown') target = cellText(valueAt(found, backend.schema.idField));
            if (found !== 'unknown') break;
          }
          if (!target) return { ...base, result: 'already', note: 'the create never went through' };
        }
        if (id && !current.has(id)) return { ...base, customer: target, result: 'already', note: 'already deleted' };
        const byId: Lookup = { by: 'id', value: target };
        if (backend.verbs.has('delete')) {
          if (!ctx.dryRun) await retrying(ctx, () => backend.delete(byId, current.has(target) ? { current: current.get(target)! } : {})).catch(goneIsDone);
          return { ...base, customer: target, result: act, note: 'deleted' };
        }
        if (backend.verbs.has('setSuspended')) {
          if (!ctx.dryRun) await retrying(ctx, () => backend.setSuspended(byId, true));
          return { ...base, customer: target, result: act, note: `${backend.name} cannot delete a customer: suspended instead` };
        }
        return { ...base, customer: target, result: 'not undoable', note: `${backend.name} can neither delete nor suspend a customer` };
      }
      case 'delete':
        return await recreate(ctx, base, w.before ?? {}, id, current, w.n);
      case 'suspend':
      case 'unsuspend':
        if (!ctx.dryRun) await retrying(ctx, () => backend.setSuspended(lookup, w.op === 'unsuspend'));
        return { ...base, result: act, note: w.op === 'suspend' ? 'unsuspended' : 'suspended again' };
      case 'verify':
      case 'unverify':
        if (!ctx.dryRun) await retrying(ctx, () => backend.setVerified(w.what ?? 'email', lookup, w.op === 'unverify'));
        return { ...base, result: act, note: `${w.what ?? 'email'} ${w.op === 'verify' ? 'unverified' : 'verified again'}` };
      case 'merge':
        return await unmerge(ctx, base, w, current);
      case 'pin-set':
        return { ...base, result: 'not undoable', note: 'the old PIN is never kept (poscust stores no PIN)' };
      case 'app-signin':
        return { ...base, result: 'not undoable', note: 'an app sign-in cannot be taken back' };
    }
  } catch (err) {
    if (err instanceof InterruptedError) throw err;
    if (err instanceof PoscustError && (err.exitCode === 4 || err.exitCode === 6)) throw err;
    return { ...base, result: 'failed', note: err instanceof Error ? err.message : String(err) };
  }
}

function goneIsDone(err: unknown): void {
  if (!(err instanceof NotFoundError)) throw err;
}

async function recreate(ctx: UndoContext, base: Pick<StepReport, 'write' | 'op' | 'customer'>, image: Record<string, unknown>, oldId: string | undefined, current: Map<string, CustomerRecord>, n: number): Promise<StepReport> {
  if (oldId && current.has(oldId)) return { ...base, result: 'already', note: 'the customer was never deleted' };
  const record = creatable(ctx.backend, image);
  if (ctx.dryRun) return { ...base, result: 'would revert', note: `created again from its before-image (a new ID)` };
  const outcome = await createOnce(ctx.backend, record, {
    inDoubt: ctx.inDoubt.has(n),
    lookup: (find) => retrying(ctx, find),
    pause: (attempt) => ctx.clock.sleep(attempt * 1000, ctx.signal).catch(() => Promise.reject(new InterruptedError())),
  });
  switch (outcome.status) {
    case 'created':
      return { ...base, result: 'reverted', ...(outcome.result.id ? { newId: outcome.result.id } : {}), note: `created again as ${outcome.result.id ?? 'a new customer'} (was ${oldId ?? '?'})` };
    case 'found':
      return { ...base, result: 'reverted', newId: outcome.id, note: `created again as ${outcome.id} (was ${oldId ?? '?'})` };
    case 'unconfirmed':
      return { ...base, result: 'failed', note: `${outcome.why}; check whether the customer exists` };
    case 'failed':
      return { ...base, result: 'failed', note: outcome.error.message };
  }
}

async function unmerge(ctx: UndoContext, base: Pick<StepReport, 'write' | 'op' | 'customer'>, w: WriteEntry, current: Map<string, CustomerRecord>): Promise<StepReport> {
  const notes: string[] = [];
  let failed = false;
  for (const image of w.merged ?? []) {
    const r = await recreate(ctx, base, image, cellText(valueAt(image, ctx.backend.schema.idField)) || undefined, current, w.n);
    if (r.result === 'failed') failed = true;
    notes.push(r.note ?? r.result);
  }
  const survivor = w.id ? current.get(w.id) : undefined;
  let changes: StepReport['changes'];
  let conflicts: StepReport['conflicts'];
  if (survivor && w.after && w.before) {
    const r = revertFields(ctx.backend, survivor, w.before, w.after);
    changes = r.changes;
    conflicts = Object.keys(r.conflicts).length ? r.conflicts : undefined;
    const writable = Object.fromEntries(Object.entries(r.set).filter(([k]) => findField(ctx.backend.schema, k)?.writable !== false));
    if (Object.keys(writable).length && !ctx.dryRun) {
      await retrying(ctx, () => ctx.backend.update({ by: 'id', value: w.id! }, nest(writable), { current: survivor }));
    }
    if (Object.keys(writable).length) notes.push(`the survivor's ${Object.keys(writable).join(', ')} restored`);
  }
  return {
    ...base,
    result: failed ? 'failed' : conflicts ? 'conflict' : ctx.dryRun ? 'would revert' : 'reverted',
    ...(changes && Object.keys(changes).length ? { changes } : {}),
    ...(conflicts ? { conflicts } : {}),
    note: `merged-away customers created again with new IDs (the vendor gives new ones): ${notes.join('; ')}`,
  };
}
