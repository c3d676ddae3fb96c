// MYPOS write commands against a strict stub: the exact full-object PUT, and the answers a real
// server may give that the sandbox only reaches by accident (a PUT refused for mismatched id/code).
import { afterEach, describe, expect, it } from 'vitest';
import type { MockAgent } from 'undici';
import { runCli, strictAgent } from '../../helpers/harness.js';
import { JSONH, LUCY, MYPOS_ORIGIN, MYPOS_PASSWORD, expectLogin, myposEnv } from '../../helpers/mypos.js';

let agent: MockAgent;
afterEach(async () => {
  agent.assertNoPendingInterceptors();
  await agent.close();
});

describe('MYPOS writes on the wire', () => {
  it('update-by code: GET, then PUT /customers/{code} with the whole object, bearer only', async () => {
    agent = strictAgent();
    const pool = agent.get(MYPOS_ORIGIN);
    expectLogin(pool, 'tok');
    const merged = { ...LUCY, notes: 'VIP', active: false };
    pool.intercept({ path: '/api/v2/customers/1000070', method: 'GET', headers: { authorization: 'Bearer tok' } }).reply(200, LUCY, JSONH);
    pool
      .intercept({ path: '/api/v2/customers/1000070', method: 'PUT', headers: { authorization: 'Bearer tok' }, body: JSON.stringify(merged) })
      .reply(200, merged, JSONH);
    const r = await runCli(['update-by', 'code', '1000070', '--note', 'VIP', '--active', 'false', '--json'], { env: myposEnv(), dispatcher: agent });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ action: 'updated', identifier: '1000070', id: LUCY.customerId, code: '1000070', server: merged });
  });

  it('a PUT refused for mismatched customerId/customerCode: exit 5 with the vendor reason, no secret', async () => {
    agent = strictAgent();
    const pool = agent.get(MYPOS_ORIGIN);
    expectLogin(pool, 'tok');
    pool.intercept({ path: '/api/v2/customers/1000070', method: 'GET' }).reply(200, LUCY, JSONH);
    pool
      .intercept({ path: '/api/v2/customers/1000070', method: 'PUT' })
      .reply(400, { failureDescription: 'customerId does not match customerCode 1000070.' }, JSONH);
    const r = await runCli(['--verbose', 'update-by', 'code', '1000070', '--note', 'x'], { env: myposEnv(), dispatcher: agent });
    expect(r.code).toBe(5);
    expect(r.stderr).toContain('poscust: MYPOS refused the update: customerId does not match customerCode 1000070.\n');
    expect(r.stderr).not.toContain(MYPOS_PASSWORD);
  });

  it('create: 202 with the assigned id and code, both printed', async () => {
    agent = strictAgent();
    const pool = agent.get(MYPOS_ORIGIN);
    expectLogin(pool, 'tok');
    pool
      .intercept({ path: '/api/v2/customers', method: 'POST', body: JSON.stringify({ firstName: 'Lucy', lastName: 'Smyth' }) })
      .reply(202, LUCY, JSONH);
    const r = await runCli(['create', '--first-name', 'Lucy', '--last-name', 'Smyth'], { env: myposEnv(), dispatcher: agent });
    expect([r.code, r.stdout, r.stderr]).toEqual([0, `${LUCY.customerId} ${LUCY.customerCode}\n`, '']);
  });
});
