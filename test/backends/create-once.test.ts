// One create, never two: the create command and the importer share this. A lost answer is
// checked by a key the record carries; a record without one stays unconfirmed, never re-sent.
import { describe, expect, it } from 'vitest';
import { createOnce } from '../../src/backends/create-once.js';
import { DEALPOS_SCHEMA } from '../../src/backends/dealpos/schema.js';
import type { CustomerBackend, CustomerRecord, Lookup, WriteResult } from '../../src/backends/types.js';
import { ConflictError, NotFoundError, TemporaryError } from '../../src/errors.js';

/** A backend whose creates fail as scripted, and whose lookups find what `stored` holds. */
function backend(creates: (Error | WriteResult)[], stored: CustomerRecord[] = []) {
  const sent: CustomerRecord[] = [];
  const b = {
    name: 'dealpos',
    schema: DEALPOS_SCHEMA,
    async create(fields: CustomerRecord) {
      sent.push(fields);
      const next = creates.shift();
      if (!next) throw new Error('unexpected create');
      if (next instanceof Error) throw next;
      return next;
    },
    async get(lookup: Lookup) {
      const found = stored.find((r) => String(r[{ code: 'Code', email: 'Email', mobile: 'Mobile', id: 'ID', phone: 'Phone' }[lookup.by]] ?? '').toLowerCase() === lookup.value.toLowerCase());
      if (!found) throw new NotFoundError('not found');
      return found;
    },
  } as unknown as CustomerBackend;
  return { b, sent };
}

const lost = () => new TemporaryError('connection closed before an answer arrived', { maybeApplied: true });

describe('createOnce', () => {
  it('creates once when all goes well', async () => {
    const { b, sent } = backend([{ id: 'N1', raw: {} }]);
    expect(await createOnce(b, { Name: 'A', Code: 'C1' })).toMatchObject({ status: 'created', result: { id: 'N1' } });
    expect(sent).toHaveLength(1);
  });

  it('finds the customer of a lost answer by its code instead of sending it again', async () => {
    const { b, sent } = backend([lost()], [{ ID: 'N2', Code: 'C2', Name: 'B' }]);
    expect(await createOnce(b, { Name: 'B', Code: 'C2' })).toMatchObject({ status: 'found', id: 'N2', via: "code 'C2'" });
    expect(sent).toHaveLength(1);
  });

  it('sends again when the lost create is not there, once, and tells the caller', async () => {
    const { b, sent } = backend([lost(), { id: 'N3', raw: {} }]);
    let resent = 0;
    expect(await createOnce(b, { Name: 'C', Email: 'c@x.id' }, { onResend: () => resent++ })).toMatchObject({ status: 'created' });
    expect([sent.length, resent]).toEqual([2, 1]);
  });

  it('leaves a lost create without a key unconfirmed, never sending it twice', async () => {
    const { b, sent } = backend([lost()]);
    expect(await createOnce(b, { Name: 'No Key' })).toMatchObject({ status: 'unconfirmed', why: 'the answer to the create was lost' });
    expect(sent).toHaveLength(1);
  });

  it('takes "already exists" after a lost first send as its own create when the key finds it', async () => {
    const stored: CustomerRecord[] = [];
    const { b, sent } = backend([lost(), new ConflictError('Code C4 already exists.')], stored);
    // The first send was applied after all; the lookup right after it missed it (replication lag).
    let looked = 0;
    const out = await createOnce(b, { Name: 'D', Code: 'C4' }, {
      lookup: async (find) => {
        if (looked++ === 1) stored.push({ ID: 'N4', Code: 'C4' });
        return find();
      },
    });
    expect(out).toMatchObject({ status: 'found', id: 'N4' });
    expect(sent).toHaveLength(2);
  });

  it('looks first when an earlier run may have sent it, and retries passing failures with a pause', async () => {
    const { b, sent } = backend([], [{ ID: 'N5', Code: 'C5' }]);
    expect(await createOnce(b, { Code: 'C5' }, { inDoubt: true })).toMatchObject({ status: 'found', id: 'N5' });
    expect(sent).toHaveLength(0);
    const flaky = backend([new TemporaryError('503'), new TemporaryError('503'), { id: 'N6', raw: {} }]);
    const pauses: number[] = [];
    expect(await createOnce(flaky.b, { Code: 'C6' }, { pause: async (n) => void pauses.push(n) })).toMatchObject({ status: 'created' });
    expect(pauses).toEqual([1, 2]);
    const down = backend([new TemporaryError('503'), new TemporaryError('503')]);
    expect(await createOnce(down.b, { Code: 'C7' }, { attempts: 2, pause: async () => undefined })).toMatchObject({ status: 'failed' });
  });
});
