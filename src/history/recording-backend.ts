// The backend every command writes through: the adapter itself, with each write noted in the
// job's history first (what it changes, as it was) and its outcome after. Reads pass straight on.
// Before-images come from what the caller already read (`current`, `before`) and are read only
// when nobody has them (update-by, delete without a confirmation, merge).
import { InterruptedError, PoscustError, TemporaryError, UnsupportedError } from '../errors.js';
import { cellText, valueAt } from '../output/cells.js';
import type { CustomerBackend, CustomerRecord, DeleteOptions, Lookup, UpdateOptions, WriteResult } from '../backends/types.js';
import type { WriteIntent } from './format.js';
import type { HistoryWriter } from './recorder.js';

/** Whether a failed write certainly changed nothing (the server refused it, or it never left). */
function certainlyNotApplied(err: unknown): boolean {
  if (err instanceof InterruptedError) return false;
  if (err instanceof TemporaryError) return !err.maybeApplied;
  return err instanceof PoscustError;
}

/** The (dotted) field names a change record sets: the schema's fields, and any other top-level member. */
export function changedNames(backend: CustomerBackend, changes: CustomerRecord): string[] {
  const names: string[] = [];
  const covered = new Set<string>();
  for (const f of backend.schema.fields) {
    if (valueAt(changes, f.name) !== undefined) {
      names.push(f.name);
      covered.add(f.name.split('.')[0]!);
    }
  }
  for (const k of Object.keys(changes)) if (!covered.has(k)) names.push(k);
  return names;
}

export function pick(record: CustomerRecord, names: readonly string[]): Record<string, unknown> {
  const out = Object.create(null) as Record<string, unknown>;
  for (const name of names) out[name] = valueAt(record, name) ?? null;
  return out;
}

export function recordingBackend(backend: CustomerBackend, history: HistoryWriter, context: { undoes?: () => number | undefined } = {}): CustomerBackend {
  const idOf = (record: CustomerRecord | undefined) => (record ? cellText(valueAt(record, backend.schema.idField)) || undefined : undefined);
  const target = (lookup: Lookup) => (lookup.by === 'id' ? { id: lookup.value } : { lookup });

  async function noted<T extends WriteResult | boolean>(
    intent: Omit<WriteIntent, 'n'>,
    send: () => Promise<T>,
    after?: (result: T) => Promise<Record<string, unknown> | undefined>,
    learned?: (result: T) => { before?: Record<string, unknown>; id?: string },
  ): Promise<T> {
    const undoes = context.undoes?.();
    const n = await history.intent(undoes === undefined ? intent : { ...intent, undoes });
    let result: T;
    try {
      result = await send();
    } catch (err) {
      if (certainlyNotApplied(err)) history.fail(n, err instanceof Error ? err.message : String(err));
      throw err;
    }
    const id = typeof result === 'object' ? (result.id ?? idOf(result.record)) : undefined;
    let image: Record<string, unknown> | undefined;
    try {
      image = await after?.(result);
    } catch {
      // The write went through; an after-image we could not read is only less to compare on undo.
    }
    const late = learned?.(result) ?? {};
    const okId = id ?? late.id;
    history.ok(n, { ...(okId ? { id: okId } : {}), ...(image ? { after: image } : {}), ...(late.before ? { before: late.before } : {}) });
    return result;
  }

  /** The record a write is about to change, or undefined where this lookup cannot read (the write then says why). */
  async function readFirst(lookup: Lookup): Promise<CustomerRecord | undefined> {
    try {
      return await backend.get(lookup);
    } catch (err) {
      if (err instanceof UnsupportedError) return undefined;
      throw err;
    }
  }

  const wrapped: Partial<CustomerBackend> = {
    create: (fields) => noted({ op: 'create', after: fields }, () => backend.create(fields)),

    update: async (lookup: Lookup, changes: CustomerRecord, options: UpdateOptions = {}) => {
      const names = changedNames(backend, changes);
      const { before: _drop, ...rest } = options;
      let current = options.current;
      let before = options.before;
      // A read-merge-write adapter reads the record anyway and hands it back: no read of ours.
      const later = !before && !current && backend.schema.updateReturnsPrevious === true;
      if (!before && !current && !later) {
        const read = await readFirst(lookup);
        if (!read) return backend.update(lookup, changes, rest); // it says why it cannot
        current = read;
      }
      if (!later) before ??= pick(current!, names);
      const id = idOf(current) ?? (lookup.by === 'id' ? lookup.value : undefined);
      return noted(
        { op: 'update', ...(id ? { id } : target(lookup)), ...(before ? { before } : {}), after: pick(changes, names) },
        () => backend.update(lookup, changes, current ? { ...rest, current } : rest),
        undefined,
        later ? (result) => (result.previous ? { before: pick(result.previous, names), id: idOf(result.previous) } : {}) : undefined,
      );
    },

    delete: async (lookup: Lookup, options: DeleteOptions = {}) => {
      const current = options.current ?? (await readFirst(lookup));
      if (!current) return backend.delete(lookup, options); // it says why it cannot
      return noted({ op: 'delete', id: idOf(current) ?? lookup.value, before: current }, () => backend.delete(lookup, { ...options, current }));
    },

    setSuspended: (lookup: Lookup, suspended: boolean) =>
      noted({ op: suspended ? 'suspend' : 'unsuspend', ...target(lookup) }, () => backend.setSuspended(lookup, suspended)),

    setVerified: (what: 'email' | 'mobile', lookup: Lookup, verified: boolean) =>
      noted({ op: verified ? 'verify' : 'unverify', what, ...target(lookup) }, () => backend.setVerified(what, lookup, verified)),

    merge: async (targetId: string, sourceIds: string[], options: { records?: CustomerRecord[] } = {}) => {
      const found = options.records ?? (await backend.getMany([targetId, ...sourceIds])).found;
      const survivor = found.find((r) => idOf(r) === targetId);
      const merged = found.filter((r) => idOf(r) !== targetId);
      return noted(
        { op: 'merge', id: targetId, ...(survivor ? { before: survivor } : {}), merged },
        () => backend.merge(targetId, sourceIds),
        async () => {
          if (!survivor) return undefined;
          const now = await backend.get({ by: 'id', value: targetId });
          const changed = Object.keys(now).filter((k) => JSON.stringify(now[k]) !== JSON.stringify(survivor[k]));
          return pick(now, changed);
        },
      );
    },

    // The PIN itself is never written anywhere.
    setPin: (lookup: Lookup, pin: string) => noted({ op: 'pin-set', ...target(lookup) }, () => backend.setPin(lookup, pin)),

    appSignIn: (lookup: Lookup) => noted({ op: 'app-signin', ...target(lookup) }, () => backend.appSignIn(lookup)),
  };

  return new Proxy(backend, {
    get(t, prop, _receiver) {
      if (typeof prop === 'string' && Object.hasOwn(wrapped, prop) && t.verbs.has(prop as never)) return wrapped[prop as keyof CustomerBackend];
      const value = Reflect.get(t, prop, t) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(t) : value;
    },
  });
}
