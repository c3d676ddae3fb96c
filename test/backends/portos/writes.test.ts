// The PORTOS write verbs below the commands, against a strict stub: what goes on the wire (the
// `_v` round trip, deep merges, one re-read after a version mismatch) and the errors.
import { afterEach, describe, expect, it } from 'vitest';
import type { MockAgent } from 'undici';
import type { PoscustError } from '../../../src/errors.js';
import { strictAgent } from '../../helpers/harness.js';
import { JSONH, PORTOS_ORIGIN, PROBLEMH, Through, customer, expectLogin, jwt, openPortos } from '../../helpers/portos.js';

let agent: MockAgent;
afterEach(async () => {
  agent.assertNoPendingInterceptors();
  await agent.close();
});

async function open() {
  agent = strictAgent();
  const pool = agent.get(PORTOS_ORIGIN);
  expectLogin(pool, jwt('t1'));
  const opened = await openPortos({ dispatcher: new Through(agent) });
  return { pool, ...opened };
}

/** Bodies of the requests sent, in order, by method. */
function bodies(method: string): unknown[] {
  return (agent.getCallHistory()?.calls() ?? []).filter((c) => c.method === method).map((c) => JSON.parse(String(c.body)));
}

async function failure(promise: Promise<unknown>): Promise<PoscustError> {
  try {
    await promise;
  } catch (err) {
    return err as PoscustError;
  }
  throw new Error('expected a failure');
}

const mismatch = (version: number) => ({
  title: 'Resource version mismatch', status: 400, errorCode: 6, detail: 'The customer was changed.',
  resource: { name: 'Customer', id: 'c-1', version },
});

describe('portos create', () => {
  it('POSTs the fields with dotted names as nested objects and returns the id of the 201', async () => {
    const { pool, backend } = await open();
    const created = customer('new-id', { firstName: 'Ján', address: { street: null, city: 'Bratislava', zipCode: null, country: null } });
    pool.intercept({ path: '/customers', method: 'POST' }).reply(201, created, JSONH);
    const result = await backend.create({ firstName: 'Ján', 'address.city': 'Bratislava', 'credit.amount': 10, _v: 7 });
    expect(result).toMatchObject({ id: 'new-id', record: created });
    expect(bodies('POST').slice(1)).toEqual([{ firstName: 'Ján', address: { city: 'Bratislava' }, credit: { amount: 10 } }]);
  });

  it('turns required and unique member errors into exit 2 and exit 5, listing each', async () => {
    const { pool, backend } = await open();
    pool.intercept({ path: '/customers', method: 'POST' }).reply(400, {
      title: 'Validation failed', status: 400, errorCode: 3, detail: 'One or more validation errors occurred.',
      errors: [{ memberName: 'lastName', message: 'lastName is required.', code: 1 }, { memberName: 'email', message: "'x' is not an e-mail address.", code: 3 }],
    }, PROBLEMH);
    const usage = await failure(backend.create({ email: 'x' }));
    expect(usage.exitCode).toBe(2);
    expect(usage.message).toBe(
      "pos.shop.test rejected the customer: Validation failed: One or more validation errors occurred. — lastName: lastName is required.; email: 'x' is not an e-mail address.",
    );
    pool.intercept({ path: '/customers', method: 'POST' }).reply(400, {
      title: 'Validation failed', status: 400, errorCode: 3,
      errors: [{ memberName: 'externalId', message: "externalId 'E-1' is already used by another customer.", code: 2 }],
    }, PROBLEMH);
    const dup = await failure(backend.create({ lastName: 'X', externalId: 'E-1' }));
    expect(dup.exitCode).toBe(5);
    expect(dup.message).toContain("externalId: externalId 'E-1' is already used by another customer.");
  });
});

describe('portos update: read, merge, PUT with the read _v', () => {
  it('merges nested members into the read record and sends its _v back', async () => {
    const { pool, backend } = await open();
    const current = customer('c-1', { _v: 4, credit: { amount: 5, currencyLabel: 'EUR' } });
    pool.intercept({ path: '/customers/c-1', method: 'GET' }).reply(200, current, JSONH);
    pool.intercept({ path: '/customers/c-1', method: 'PUT' }).reply(200, { ...current, _v: 5 }, JSONH);
    const result = await backend.update({ by: 'id', value: 'c-1' }, { 'address.city': 'Bratislava', 'credit.amount': 10, note: 'VIP' });
    expect(result).toMatchObject({ id: 'c-1', record: { _v: 5 } });
    expect(bodies('PUT')).toEqual([
      {
        ...current,
        address: { street: 'Hlavná 1', city: 'Bratislava', zipCode: '04001', country: 'SK' },
        credit: { amount: 10, currencyLabel: 'EUR' },
        note: 'VIP',
        _v: 4,
      },
    ]);
  });

  it('on a version mismatch reads again, re-applies the same change to the new record, and retries once', async () => {
    const { pool, backend, log } = await open();
    const v1 = customer('c-1', { _v: 1, note: null });
    const v2 = customer('c-1', { _v: 2, note: null, phone: '+421 900 000 000' });
    pool.intercept({ path: '/customers/c-1', method: 'GET' }).reply(200, v1, JSONH);
    pool.intercept({ path: '/customers/c-1', method: 'PUT' }).reply(400, mismatch(2), PROBLEMH);
    pool.intercept({ path: '/customers/c-1', method: 'GET' }).reply(200, v2, JSONH);
    pool.intercept({ path: '/customers/c-1', method: 'PUT' }).reply(200, { ...v2, note: 'VIP', _v: 3 }, JSONH);
    const result = await backend.update({ by: 'id', value: 'c-1' }, { note: 'VIP' });
    expect(result.record).toMatchObject({ note: 'VIP', phone: '+421 900 000 000', _v: 3 });
    // The concurrent phone change survives: the second PUT is v2 plus our change, with v2's version.
    expect(bodies('PUT')).toEqual([{ ...v1, note: 'VIP', _v: 1 }, { ...v2, note: 'VIP', _v: 2 }]);
    expect(log.join('\n')).toContain("customer with id 'c-1' changed since it was read (version 1); reading it again");
  });

  it('exits 5 naming the conflict when the second PUT is refused too', async () => {
    const { pool, backend } = await open();
    pool.intercept({ path: '/customers/c-1', method: 'GET' }).reply(200, customer('c-1', { _v: 1 }), JSONH);
    pool.intercept({ path: '/customers/c-1', method: 'PUT' }).reply(400, mismatch(2), PROBLEMH);
    pool.intercept({ path: '/customers/c-1', method: 'GET' }).reply(200, customer('c-1', { _v: 2 }), JSONH);
    pool.intercept({ path: '/customers/c-1', method: 'PUT' }).reply(400, mismatch(3), PROBLEMH);
    const err = await failure(backend.update({ by: 'id', value: 'c-1' }, { note: 'VIP' }));
    expect(err.exitCode).toBe(5);
    expect(err.message).toBe(
      "customer with id 'c-1' was changed by someone else while we updated it, twice in a row " +
        '(we last read version 2; the server now has version 3); nothing was changed. Run the command again.',
    );
  });

  it('uses a record the caller already read, without reading again', async () => {
    const { pool, backend } = await open();
    const current = customer('c-1', { _v: 9 });
    pool.intercept({ path: '/customers/c-1', method: 'PUT' }).reply(200, { ...current, isActive: false, _v: 10 }, JSONH);
    await backend.update({ by: 'id', value: 'c-1' }, { isActive: false }, { current });
    expect(bodies('PUT')).toEqual([{ ...current, isActive: false, _v: 9 }]);
  });

  it('suspends and unsuspends through isActive', async () => {
    const { pool, backend } = await open();
    pool.intercept({ path: '/customers/c-1', method: 'GET' }).reply(200, customer('c-1', { _v: 2 }), JSONH);
    pool.intercept({ path: '/customers/c-1', method: 'PUT' }).reply(200, customer('c-1', { isActive: false, _v: 3 }), JSONH);
    pool.intercept({ path: '/customers/c-1', method: 'GET' }).reply(200, customer('c-1', { isActive: false, _v: 3 }), JSONH);
    pool.intercept({ path: '/customers/c-1', method: 'PUT' }).reply(200, customer('c-1', { _v: 4 }), JSONH);
    await backend.setSuspended({ by: 'id', value: 'c-1' }, true);
    await backend.setSuspended({ by: 'id', value: 'c-1' }, false);
    expect(bodies('PUT').map((b) => (b as { isActive: boolean; _v: number }))).toMatchObject([
      { isActive: false, _v: 2 },
      { isActive: true, _v: 3 },
    ]);
  });

  it('refuses to change the id, and reports a 404 on the read as not found (exit 3)', async () => {
    const { pool, backend } = await open();
    const err = await failure(backend.update({ by: 'id', value: 'c-1' }, { id: 'other' }));
    expect(err.exitCode).toBe(2);
    pool.intercept({ path: '/customers/gone', method: 'GET' }).reply(404, { title: 'Not Found', status: 404 }, PROBLEMH);
    const nf = await failure(backend.update({ by: 'id', value: 'gone' }, { note: 'x' }));
    expect(nf.exitCode).toBe(3);
    expect(nf.message).toBe("customer with id 'gone' not found");
  });

  it('says so when the customer was deleted meanwhile and the PUT created it again (201)', async () => {
    const { pool, backend } = await open();
    pool.intercept({ path: '/customers/c-1', method: 'GET' }).reply(200, customer('c-1'), JSONH);
    pool.intercept({ path: '/customers/c-1', method: 'PUT' }).reply(201, customer('c-1'), JSONH);
    const result = await backend.update({ by: 'id', value: 'c-1' }, { note: 'x' });
    expect(result.message).toBe("customer with id 'c-1' had been deleted meanwhile; it was created again");
  });

  it('names the missing right of a 403 (exit 4) and treats a locked customer as a conflict (exit 5)', async () => {
    const { pool, backend } = await open();
    pool.intercept({ path: '/customers/c-1', method: 'GET' }).reply(200, customer('c-1'), JSONH);
    pool.intercept({ path: '/customers/c-1', method: 'PUT' }).reply(403, {
      title: 'Forbidden', status: 403, errorCode: 2, detail: "User 'cashier' does not have the CustomerSetDiscount right to change discountRate.",
    }, PROBLEMH);
    const forbidden = await failure(backend.update({ by: 'id', value: 'c-1' }, { discountRate: 20 }));
    expect(forbidden.exitCode).toBe(4);
    expect(forbidden.message).toContain('the user lacks the CustomerSetDiscount right');
    pool.intercept({ path: '/customers/c-1', method: 'GET' }).reply(200, customer('c-1'), JSONH);
    pool.intercept({ path: '/customers/c-1', method: 'PUT' }).reply(423, { title: 'Locked', status: 423, errorCode: 5, detail: 'Open on till 2.' }, PROBLEMH);
    const locked = await failure(backend.update({ by: 'id', value: 'c-1' }, { note: 'x' }));
    expect(locked.exitCode).toBe(5);
    expect(locked.message).toBe("customer with id 'c-1' is locked on pos.shop.test; try again when it is released: Locked: Open on till 2.");
  });
});

describe('portos delete and unsupported lookups', () => {
  it('DELETEs by id and returns the deleted record', async () => {
    const { pool, backend } = await open();
    pool.intercept({ path: '/customers/c%2F1', method: 'DELETE' }).reply(200, customer('c/1'), JSONH);
    expect(await backend.delete({ by: 'id', value: 'c/1' })).toMatchObject({ id: 'c/1', record: { id: 'c/1' } });
  });

  it.each([
    ['update by code', (b: Awaited<ReturnType<typeof open>>['backend']) => b.update({ by: 'code', value: 'X' }, { note: 'x' })],
    ['update by email', (b: Awaited<ReturnType<typeof open>>['backend']) => b.update({ by: 'email', value: 'a@b.c' }, { note: 'x' })],
    ['delete by code', (b: Awaited<ReturnType<typeof open>>['backend']) => b.delete({ by: 'code', value: 'X' })],
    ['suspend by phone', (b: Awaited<ReturnType<typeof open>>['backend']) => b.setSuspended({ by: 'phone', value: '1' }, true)],
    ['merge', (b: Awaited<ReturnType<typeof open>>['backend']) => b.merge('a', ['b'])],
    ['new-code', (b: Awaited<ReturnType<typeof open>>['backend']) => b.newCode()],
    ['pin set', (b: Awaited<ReturnType<typeof open>>['backend']) => b.setPin({ by: 'id', value: 'a' }, '1234')],
    ['verify email', (b: Awaited<ReturnType<typeof open>>['backend']) => b.setVerified('email', { by: 'id', value: 'a' }, true)],
    ['app-signin', (b: Awaited<ReturnType<typeof open>>['backend']) => b.appSignIn({ by: 'id', value: 'a' })],
  ])('%s is unsupported (exit 6) without a request', async (verb, call) => {
    agent = strictAgent();
    const { backend } = await openPortos({ dispatcher: new Through(agent) });
    // Some base verbs throw before returning a promise; both must end as exit 6.
    const err = await failure(Promise.resolve().then((): Promise<unknown> => call(backend)));
    expect(err.exitCode).toBe(6);
    expect(err.message).toBe(`${verb} is unsupported on portos`);
    expect(agent.getCallHistory()?.calls() ?? []).toEqual([]);
  });
});
