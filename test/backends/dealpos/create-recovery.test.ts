// Paths the sandbox cannot stage on demand, against a strict stub (any unexpected request fails):
// a create whose answer is lost, and a server that echoes a PIN back in an error.
import { afterEach, describe, expect, it } from 'vitest';
import type { MockAgent } from 'undici';
import { BackendBase } from '../../../src/backends/base.js';
import { DealposBackend } from '../../../src/backends/dealpos/adapter.js';
import { DEALPOS_SCHEMA } from '../../../src/backends/dealpos/schema.js';
import type { HttpClient } from '../../../src/http/client.js';
import { dealposEnv, runCli, strictAgent } from '../../helpers/harness.js';

const ORIGIN = 'https://shop.dealpos.test';
const JSONH = { headers: { 'content-type': 'application/json' } };
const NEW_ID = '5d1c7a2e-8f3b-4c6d-9e0a-1b2c3d4e5f60';

let agent: MockAgent | undefined;
afterEach(async () => {
  if (!agent) return;
  const used = agent;
  agent = undefined;
  used.assertNoPendingInterceptors();
  await used.close();
});

function stub() {
  agent = strictAgent();
  const pool = agent.get(ORIGIN);
  pool
    .intercept({ path: '/api/v3/Token/OAuth2', method: 'POST' })
    .reply(200, { access_token: 'tok-1', expires_in: 3600 }, JSONH);
  return pool;
}

function lostCreate(pool: ReturnType<typeof stub>, body: object) {
  pool
    .intercept({ path: '/api/v3/Customer', method: 'POST', body: JSON.stringify(body) })
    .replyWithError(Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }));
}

describe('create whose answer is lost', () => {
  it('looks the customer up by code and reports it created, without sending the create again', async () => {
    const pool = stub();
    lostCreate(pool, { Name: 'Dewi', Code: 'DL-1' });
    pool.intercept({ path: '/api/v3/Customer/Detail?Code=DL-1', method: 'GET' }).reply(200, { ID: NEW_ID, Code: 'DL-1', Name: 'Dewi' }, JSONH);
    const r = await runCli(['create', '--name', 'Dewi', '--code', 'DL-1'], { env: dealposEnv(), dispatcher: agent! });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${NEW_ID}\n`);
    expect(r.stderr).toContain("the answer to the create was lost, but the customer is there: code 'DL-1'");
  });

  it('sends it once more when the lookup (here by e-mail) finds nobody', async () => {
    const pool = stub();
    lostCreate(pool, { Name: 'Dewi', Email: 'dewi@example.id' });
    pool.intercept({ path: '/api/v3/Customer/Detail?Email=dewi%40example.id', method: 'GET' }).reply(404, { Message: 'Customer not found.' }, JSONH);
    pool
      .intercept({ path: '/api/v3/Customer', method: 'POST', body: JSON.stringify({ Name: 'Dewi', Email: 'dewi@example.id' }) })
      .reply(200, { ID: NEW_ID }, JSONH);
    const r = await runCli(['create', '--name', 'Dewi', '--email', 'dewi@example.id', '--json'], { env: dealposEnv(), dispatcher: agent! });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ action: 'created', id: NEW_ID, server: { ID: NEW_ID } });
    expect(r.stderr).toContain('sending the create once more');
  });

  it('exits 75 saying the outcome is unknown and how to check when there is no key to look it up by', async () => {
    const pool = stub();
    lostCreate(pool, { Name: 'Dewi Lestari', Group: 'Gold' });
    const r = await runCli(['create', '--name', 'Dewi Lestari', '--group', 'Gold'], { env: dealposEnv(), dispatcher: agent! });
    expect(r.code).toBe(75);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('the change may or may not have been applied; the outcome is unknown');
    expect(r.stderr).toContain("Look for 'Dewi Lestari' with poscust list before creating it again");
  });

  it('exits 75 naming the check to run when the lookup itself fails', async () => {
    const pool = stub();
    lostCreate(pool, { Name: 'Dewi', Mobile: '0813' });
    pool.intercept({ path: '/api/v3/Customer/Detail?Mobile=0813', method: 'GET' }).reply(500, { Message: 'An error has occurred.' }, JSONH).times(4);
    const r = await runCli(['create', '--name', 'Dewi', '--mobile', '0813'], { env: dealposEnv(), dispatcher: agent! });
    expect(r.code).toBe(75);
    expect(r.stderr).toContain("check with poscust get --mobile '0813' before creating it again");
  });
});

describe('PIN in a server answer', () => {
  it('is redacted from the error message', async () => {
    const pool = stub();
    pool
      .intercept({ path: '/api/v3/Customer/PIN', method: 'PUT', body: JSON.stringify({ ID: NEW_ID, PIN: '7391' }) })
      .reply(400, { Message: 'PIN 7391 is too easy to guess.' }, JSONH);
    const r = await runCli(['pin', 'set', '--id', NEW_ID, '--pin-stdin'], { env: dealposEnv(), dispatcher: agent!, stdin: '7391\n' });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('PIN [redacted] is too easy to guess.');
    expect(r.stderr).not.toContain('7391');
  });
});
