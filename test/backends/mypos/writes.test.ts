// The MYPOS adapter's writes against a strict stub: create (202, server-assigned id and code),
// read-merge-PUT of the whole object with matching customerId/customerCode, delete by code (204,
// 409 = made inactive), delete by id through the code, suspend/unsuspend through `active`, and the
// verbs MYPOS does not have.
import { afterEach, describe, expect, it } from 'vitest';
import type { MockAgent } from 'undici';
import { ExitCode, type PoscustError } from '../../../src/errors.js';
import { strictAgent } from '../../helpers/harness.js';
import { JSONH, LUCY, MYPOS_ORIGIN, expectLogin, openStubBackend, row } from '../../helpers/mypos.js';

let agent: MockAgent;
afterEach(async () => {
  agent.assertNoPendingInterceptors();
  await agent.close();
});

async function setup() {
  agent = strictAgent();
  const pool = agent.get(MYPOS_ORIGIN);
  expectLogin(pool, 'tok');
  return { pool, ...(await openStubBackend(agent)) };
}

const LUCY_PATH = `/api/v2/customers/${LUCY.customerCode}`;
const bearer = { authorization: 'Bearer tok' };

/** The error of a call that must fail (sync throw or rejection alike). */
async function failure(call: Promise<unknown> | (() => unknown)): Promise<PoscustError> {
  try {
    await (typeof call === 'function' ? call() : call);
  } catch (err) {
    return err as PoscustError;
  }
  throw new Error('expected a failure');
}

describe('create', () => {
  it('posts the fields without customerId/customerCode (warning once) and returns what the server assigned', async () => {
    const { pool, backend, warnings } = await setup();
    const assigned = { ...LUCY, customerId: 'a9d1c7e0-0000-4000-8000-000000000001', customerCode: '1000071' };
    for (let i = 0; i < 2; i++) {
      pool
        .intercept({ path: '/api/v2/customers', method: 'POST', headers: bearer, body: JSON.stringify({ firstName: 'Lucy', emailAddress: 'lucy@test.com' }) })
        .reply(202, assigned, JSONH);
    }
    const result = await backend.create({ customerCode: 'MINE', firstName: 'Lucy', CustomerId: 'x', emailAddress: 'lucy@test.com' });
    await backend.create({ customerCode: 'MINE-2', firstName: 'Lucy', emailAddress: 'lucy@test.com' });
    expect(result).toMatchObject({ id: assigned.customerId, code: '1000071', record: assigned });
    expect(warnings).toEqual([
      'customerCode is assigned by MYPOS when a customer is created; the given value is not sent',
      'customerId is assigned by MYPOS when a customer is created; the given value is not sent',
    ]);
  });

  it('turns a 400 into a usage error with the vendor reason', async () => {
    const { pool, backend } = await setup();
    pool.intercept({ path: '/api/v2/customers', method: 'POST' }).reply(400, { failureDescription: 'emailAddress is not valid.' }, JSONH);
    const err = await failure(backend.create({ firstName: 'X', emailAddress: 'nope' }));
    expect([err.exitCode, err.message]).toEqual([ExitCode.usage, 'MYPOS rejected the request: emailAddress is not valid.']);
  });
});

describe('update', () => {
  it('reads the customer, merges the changes and PUTs the whole object to /customers/{code}', async () => {
    const { pool, backend } = await setup();
    const merged = { ...LUCY, notes: 'VIP', phoneNumber: '0812' };
    pool.intercept({ path: LUCY_PATH, method: 'GET', headers: bearer }).reply(200, LUCY, JSONH);
    pool.intercept({ path: LUCY_PATH, method: 'PUT', headers: bearer, body: JSON.stringify(merged) }).reply(200, merged, JSONH);
    const result = await backend.update({ by: 'code', value: LUCY.customerCode }, { Notes: 'VIP', phoneNumber: '0812' });
    expect(result).toMatchObject({ id: LUCY.customerId, code: LUCY.customerCode, record: merged });
  });

  it('by id: reads by id, then PUTs to the customer code', async () => {
    const { pool, backend } = await setup();
    const merged = { ...LUCY, active: false };
    pool.intercept({ path: `/api/v2/customers/${LUCY.customerId}`, method: 'GET' }).reply(200, LUCY, JSONH);
    pool.intercept({ path: LUCY_PATH, method: 'PUT', body: JSON.stringify(merged) }).reply(200, merged, JSONH);
    await backend.update({ by: 'id', value: LUCY.customerId }, { active: false });
  });

  it('uses options.current when it is the full object, skipping the read', async () => {
    const { pool, backend } = await setup();
    const merged = { ...LUCY, city: 'Ottawa' };
    pool.intercept({ path: LUCY_PATH, method: 'PUT', body: JSON.stringify(merged) }).reply(200, merged, JSONH);
    await backend.update({ by: 'code', value: LUCY.customerCode }, { city: 'Ottawa' }, { current: LUCY });
  });

  it('reads anyway when options.current is a list-view row: PUTting it would blank the other fields', async () => {
    const { pool, backend } = await setup();
    const listRow = { ...row(70, 1), customerId: LUCY.customerId, customerCode: LUCY.customerCode };
    const merged = { ...LUCY, city: 'Ottawa' };
    pool.intercept({ path: LUCY_PATH, method: 'GET' }).reply(200, LUCY, JSONH);
    pool.intercept({ path: LUCY_PATH, method: 'PUT', body: JSON.stringify(merged) }).reply(200, merged, JSONH);
    await backend.update({ by: 'code', value: LUCY.customerCode }, { city: 'Ottawa' }, { current: listRow });
  });

  it('refuses to change customerCode or customerId (exit 2), but accepts them unchanged', async () => {
    const { pool, backend } = await setup();
    pool.intercept({ path: LUCY_PATH, method: 'GET' }).reply(200, LUCY, JSONH).times(2);
    const err = await failure(backend.update({ by: 'code', value: LUCY.customerCode }, { customerCode: '999' }));
    expect(err.exitCode).toBe(ExitCode.usage);
    expect(err.message).toContain('customerCode is assigned by MYPOS and cannot be changed');
    const merged = { ...LUCY, notes: 'x' };
    pool.intercept({ path: LUCY_PATH, method: 'PUT', body: JSON.stringify(merged) }).reply(200, merged, JSONH);
    await backend.update({ by: 'code', value: LUCY.customerCode }, { customerCode: LUCY.customerCode, notes: 'x' });
  });

  it('exits 5 with the reason when MYPOS refuses the PUT for mismatched id/code', async () => {
    const { pool, backend } = await setup();
    pool.intercept({ path: LUCY_PATH, method: 'PUT' }).reply(400, {
      failureDescription: 'The customerId and customerCode in the body must match the customer being updated (customerCode 1000070).',
    }, JSONH);
    const err = await failure(backend.update({ by: 'code', value: LUCY.customerCode }, { notes: 'x' }, { current: LUCY }));
    expect(err.exitCode).toBe(ExitCode.conflict);
    expect(err.status).toBe(400);
    expect(err.message).toBe(
      'MYPOS refused the update: The customerId and customerCode in the body must match the customer being updated (customerCode 1000070).',
    );
  });

  it('exits 3 when the customer to update does not exist, and 6 by email or mobile', async () => {
    const { pool, backend } = await setup();
    pool.intercept({ path: '/api/v2/customers/NOPE', method: 'GET' }).reply(404, { failureDescription: 'Customer not found.' }, JSONH);
    const missing = await failure(backend.update({ by: 'code', value: 'NOPE' }, { notes: 'x' }));
    expect([missing.exitCode, missing.message]).toEqual([ExitCode.notFound, "customer with customerCode 'NOPE' not found"]);
    for (const by of ['email', 'mobile'] as const) {
      const err = await failure(backend.update({ by, value: 'v' }, { notes: 'x' }));
      expect([err.exitCode, err.message]).toEqual([
        ExitCode.unsupported,
        `update by ${by} is unsupported on mypos (MYPOS finds a customer by customerId or customerCode only)`,
      ]);
    }
  });
});

describe('delete', () => {
  it('deletes by code: 204', async () => {
    const { pool, backend } = await setup();
    pool.intercept({ path: '/api/v2/customers/A%2FB', method: 'DELETE', headers: bearer }).reply(204, '');
    expect(await backend.delete({ by: 'code', value: 'A/B' })).toMatchObject({ code: 'A/B' });
  });

  it('by id: resolves the code first, then deletes by code', async () => {
    const { pool, backend } = await setup();
    pool.intercept({ path: `/api/v2/customers/${LUCY.customerId}`, method: 'GET' }).reply(200, LUCY, JSONH);
    pool.intercept({ path: LUCY_PATH, method: 'DELETE' }).reply(204, '');
    expect(await backend.delete({ by: 'id', value: LUCY.customerId })).toMatchObject({ code: LUCY.customerCode, id: LUCY.customerId });
  });

  it('409: exits 5 saying the customer has transactions and is now inactive', async () => {
    const { pool, backend } = await setup();
    pool.intercept({ path: LUCY_PATH, method: 'DELETE' }).reply(409, {
      failureDescription: 'Customer 1000070 has transactions and cannot be deleted; it has been made inactive instead.',
    }, JSONH);
    const err = await failure(backend.delete({ by: 'code', value: LUCY.customerCode }));
    expect(err.exitCode).toBe(ExitCode.conflict);
    expect(err.status).toBe(409);
    expect(err.message).toBe(
      "MYPOS did not delete customer with customerCode '1000070': it has transactions, so it is now inactive " +
        '(Customer 1000070 has transactions and cannot be deleted; it has been made inactive instead.)',
    );
  });

  it('409 with a body that does not say: looks the customer up rather than claim it is inactive', async () => {
    const { pool, backend } = await setup();
    pool.intercept({ path: LUCY_PATH, method: 'DELETE' }).reply(409, '');
    pool.intercept({ path: LUCY_PATH, method: 'GET' }).reply(200, { ...LUCY, active: false }, JSONH);
    pool.intercept({ path: LUCY_PATH, method: 'DELETE' }).reply(409, '');
    pool.intercept({ path: LUCY_PATH, method: 'GET' }).reply(200, LUCY, JSONH);
    const inactive = await failure(backend.delete({ by: 'code', value: LUCY.customerCode }));
    expect(inactive.message).toBe("MYPOS did not delete customer with customerCode '1000070': it has transactions, so it is now inactive");
    const active = await failure(backend.delete({ by: 'code', value: LUCY.customerCode }));
    expect(active.message).toBe("MYPOS did not delete customer with customerCode '1000070': it has transactions, so it was not deleted");
  });

  it('exits 3 for an unknown code, and 6 by email', async () => {
    const { pool, backend } = await setup();
    pool.intercept({ path: '/api/v2/customers/NOPE', method: 'DELETE' }).reply(404, { failureDescription: 'Customer not found.' }, JSONH);
    expect((await failure(backend.delete({ by: 'code', value: 'NOPE' }))).exitCode).toBe(ExitCode.notFound);
    expect((await failure(backend.delete({ by: 'email', value: 'a@b.c' }))).message).toContain('delete by email is unsupported on mypos');
  });
});

describe('suspend and unsuspend', () => {
  it('set active false/true through read-merge-PUT', async () => {
    const { pool, backend } = await setup();
    pool.intercept({ path: LUCY_PATH, method: 'GET' }).reply(200, LUCY, JSONH);
    pool.intercept({ path: LUCY_PATH, method: 'PUT', body: JSON.stringify({ ...LUCY, active: false }) }).reply(200, { ...LUCY, active: false }, JSONH);
    pool.intercept({ path: LUCY_PATH, method: 'GET' }).reply(200, { ...LUCY, active: false }, JSONH);
    pool.intercept({ path: LUCY_PATH, method: 'PUT', body: JSON.stringify(LUCY) }).reply(200, LUCY, JSONH);
    expect((await backend.setSuspended({ by: 'code', value: LUCY.customerCode }, true)).record).toMatchObject({ active: false });
    expect((await backend.setSuspended({ by: 'code', value: LUCY.customerCode }, false)).record).toMatchObject({ active: true });
  });

  it('sends no PUT when the customer is already in that state', async () => {
    const { pool, backend } = await setup();
    pool.intercept({ path: LUCY_PATH, method: 'GET' }).reply(200, LUCY, JSONH);
    expect((await backend.setSuspended({ by: 'code', value: LUCY.customerCode }, false)).message).toBe('customer is already active');
  });

  it('by email or phone is unsupported, sending nothing', async () => {
    agent = strictAgent();
    const { backend } = await openStubBackend(agent);
    for (const by of ['email', 'phone'] as const) {
      const err = await failure(() => backend.setSuspended({ by, value: 'v' }, true));
      expect([err.exitCode, err.message]).toEqual([ExitCode.unsupported, `suspend by ${by} is unsupported on mypos (MYPOS finds a customer by customerId or customerCode only)`]);
    }
  });
});

describe('verbs MYPOS does not have', () => {
  it('answer exit 6 naming the backend, the verb and why, sending nothing', async () => {
    agent = strictAgent();
    const { backend } = await openStubBackend(agent);
    const lookup = { by: 'code' as const, value: '1000070' };
    const cases: [() => unknown, string][] = [
      [() => backend.merge('a', ['b']), 'merge is unsupported on mypos (MYPOS Connect has no merge call)'],
      [() => backend.newCode(), 'new-code is unsupported on mypos (MYPOS assigns customer codes itself when a customer is created)'],
      [() => backend.setPin(lookup, '1234'), 'pin set is unsupported on mypos (MYPOS Connect customers have no PIN)'],
      [() => backend.checkPin(lookup, '1234'), 'pin check is unsupported on mypos (MYPOS Connect customers have no PIN)'],
      [() => backend.setVerified('email', lookup, true), 'verify email is unsupported on mypos (MYPOS Connect keeps no verification flags)'],
      [() => backend.setVerified('mobile', lookup, true), 'verify mobile is unsupported on mypos (MYPOS Connect keeps no verification flags)'],
      [() => backend.appSignIn(lookup), 'app-signin is unsupported on mypos (MYPOS Connect has no customer app sign-in)'],
    ];
    for (const [call, message] of cases) {
      const err = await failure(call);
      expect([err.exitCode, err.message]).toEqual([ExitCode.unsupported, message]);
    }
  });
});
