// The write commands on MYPOS Connect, in-process against an in-process MYPOS sandbox: the exact
// requests (202 create, read-merge-PUT of the whole object with matching id/code, delete by code
// with 409 = made inactive), the resulting state, and the verbs MYPOS lacks (exit 6, nothing sent).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { LUCY } from '../../helpers/mypos.js';
import { startMyposRun, type MyposRun, type MyposState } from '../../helpers/mypos-run.js';

const TRADER = { customerId: '5b0c2d1e-0000-4000-8000-000000000071', customerCode: '1000071', firstName: 'Budi', lastName: 'Santoso', city: 'Bandung', _transactions: 12 };
const PLAIN = { customerId: '5b0c2d1e-0000-4000-8000-000000000072', customerCode: '1000072', customerName: 'Toko Makmur', active: false };

let s: MyposRun;
let lucy: MyposState;
beforeAll(async () => {
  s = await startMyposRun();
});
afterAll(async () => {
  await s.sb.close();
});
beforeEach(async () => {
  await s.reset([LUCY, TRADER, PLAIN]);
  lucy = s.find(LUCY.customerCode)!;
});

/** The record as the API shows it (the sandbox-only sales count left out). */
function api(record: MyposState): Record<string, unknown> {
  const { _transactions: _, ...rest } = record;
  return rest;
}

describe('create', () => {
  it('POSTs the mapped fields, gets 202, prints the assigned customerId and customerCode', async () => {
    const r = await s.run([
      'create', '--first-name', 'Siti', '--last-name', 'Rahayu', '--email', 'siti@example.id', '--mobile', '0813555000',
      '--note', 'VIP', '--active', 'true', '--set', 'priceBand=2', '--set', 'CITY=Jakarta',
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.wire).toEqual([{
      method: 'POST', path: '/api/v2/customers', query: '', auth: 'Bearer', status: 202,
      body: { firstName: 'Siti', lastName: 'Rahayu', emailAddress: 'siti@example.id', phoneNumber: '0813555000', notes: 'VIP', active: true, priceBand: 2, city: 'Jakarta' },
    }]);
    const created = s.customers().find((c) => c.firstName === 'Siti')!;
    expect(created).toMatchObject({ customerCode: '1000073', lastName: 'Rahayu', city: 'Jakarta', priceBand: 2 });
    expect(r.stdout).toBe(`${created.customerId} 1000073\n`);
  });

  it('drops a given customerCode with a warning (MYPOS assigns codes) and prints the server answer as JSON', async () => {
    const r = await s.run(['create', '--name', 'Warung Sari', '--code', 'MY-OWN', '--json']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('warning: customerCode is assigned by MYPOS when a customer is created; the given value is not sent\n');
    expect(r.wire[0]!.body).toEqual({ customerName: 'Warung Sari' });
    const printed = JSON.parse(r.stdout) as { action: string; code: string; server: MyposState };
    expect(printed).toMatchObject({ action: 'created', identifier: 'MY-OWN', code: '1000073' });
    const answer = printed.server;
    expect(answer).toEqual(api(s.find('1000073')!));
    expect(s.customers().some((c) => c.customerCode === 'MY-OWN')).toBe(false);
  });

  it('exits 2 for a bad value before any request, and with the vendor reason for a refused create', async () => {
    const bad = await s.run(['create', '--first-name', 'X', '--set', 'priceBand=two']);
    expect(bad.code).toBe(2);
    expect(bad.wire).toEqual([]);
    const refused = await s.run(['create', '--email', 'nobody@example.id']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe('poscust: MYPOS rejected the request: A customer needs a customerName, firstName or lastName.\n');
  });
});

describe('update-by', () => {
  it('by code: GET the customer, PUT the whole object back with the change and matching id/code', async () => {
    const r = await s.run(['update-by', 'code', LUCY.customerCode, '--note', 'Prefers WhatsApp', '--phone', '0812']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`updated ${LUCY.customerCode}\n`);
    expect(r.wire.map((w) => [w.method, w.path, w.status])).toEqual([
      ['GET', `/api/v2/customers/${LUCY.customerCode}`, 200],
      ['PUT', `/api/v2/customers/${LUCY.customerCode}`, 200],
    ]);
    expect(r.wire[1]!.body).toEqual({ ...api(lucy), notes: 'Prefers WhatsApp', phoneNumber: '0812' });
    const after = s.find(LUCY.customerCode)!;
    expect(after).toMatchObject({ notes: 'Prefers WhatsApp', phoneNumber: '0812', city: 'Toronto', rewardsValue: 65, emailAddress: 'lucy@test.com' });
    expect(String(after.lastEditDateUTC) > String(lucy.lastEditDateUTC)).toBe(true);
  });

  it('by id: GET by id, PUT to the code; an empty value clears the field', async () => {
    const r = await s.run(['update-by', 'id', LUCY.customerId, '--set', 'city=']);
    expect(r.code).toBe(0);
    expect(r.wire.map((w) => `${w.method} ${w.path}`)).toEqual([`GET /api/v2/customers/${LUCY.customerId}`, `PUT /api/v2/customers/${LUCY.customerCode}`]);
    expect((r.wire[1]!.body as Record<string, unknown>).city).toBeNull();
    expect(s.find(LUCY.customerCode)).toMatchObject({ city: '', region: 'Ontario' });
  });

  it('--dry-run reads, then prints the full-object PUT it would send, and changes nothing', async () => {
    const r = await s.run(['update-by', 'code', LUCY.customerCode, '--note', 'x', '--dry-run', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      dryRun: true, method: 'PUT', url: `${s.sb.baseUrl}/customers/${LUCY.customerCode}`, body: { ...api(lucy), notes: 'x' },
    });
    expect(r.wire.map((w) => w.method)).toEqual(['GET']);
    expect(s.find(LUCY.customerCode)).toEqual(lucy);
  });

  it('refuses a new customerCode (exit 2), an unknown customer (exit 3), and lookups by email/mobile (exit 6)', async () => {
    const code = await s.run(['update-by', 'code', LUCY.customerCode, '--code', '999']);
    expect(code.code).toBe(2);
    expect(code.stderr).toContain("customerCode is assigned by MYPOS and cannot be changed (customer 1000070 keeps customerCode '1000070')");
    expect(code.wire.map((w) => w.method)).toEqual(['GET']);
    const missing = await s.run(['update-by', 'code', '999', '--note', 'x']);
    expect([missing.code, missing.stderr]).toEqual([3, "poscust: customer with customerCode '999' not found\n"]);
    for (const key of ['email', 'mobile']) {
      const r = await s.run(['update-by', key, 'lucy@test.com', '--note', 'x']);
      expect(r.code).toBe(6);
      expect(r.stderr).toBe(`poscust: update by ${key} is unsupported on mypos (MYPOS finds a customer by customerId or customerCode only)\n`);
      expect(r.wire).toEqual([]);
    }
    expect(s.find(LUCY.customerCode)).toEqual(lucy);
  });
});

describe('delete', () => {
  it('--code with --yes: DELETE by code, 204, the customer is gone', async () => {
    const r = await s.run(['--yes', 'delete', '--code', LUCY.customerCode]);
    expect([r.code, r.stdout, r.stderr]).toEqual([0, `deleted ${LUCY.customerCode}\n`, '']);
    // The read first is the history's: the whole record, so undo can create it again.
    expect(r.wire).toEqual([
      { method: 'GET', path: `/api/v2/customers/${LUCY.customerCode}`, query: '', auth: 'Bearer', body: null, status: 200 },
      { method: 'DELETE', path: `/api/v2/customers/${LUCY.customerCode}`, query: '', auth: 'Bearer', body: null, status: 204 },
    ]);
    expect(s.find(LUCY.customerCode)).toBeUndefined();
  });

  it('a customer with transactions: 409, exit 5 saying it is now inactive; the record stays, inactive', async () => {
    const r = await s.run(['--yes', 'delete', '--code', TRADER.customerCode]);
    expect(r.code).toBe(5);
    expect(r.stderr).toBe(
      "poscust: MYPOS did not delete customer with customerCode '1000071': it has transactions, so it is now inactive " +
        '(Customer 1000071 has transactions and cannot be deleted; it has been made inactive instead.)\n',
    );
    expect(r.wire.map((w) => [w.method, w.status])).toEqual([['GET', 200], ['DELETE', 409]]);
    expect(s.find(TRADER.customerCode)).toMatchObject({ active: false, firstName: 'Budi', city: 'Bandung' });
  });

  it('--id on a terminal: reads once to show the customer, asks, then deletes by code', async () => {
    const asked: string[] = [];
    const prompter = { confirm: async (q: string) => (asked.push(q), true) };
    const r = await s.run(['delete', '--id', PLAIN.customerId], { tty: true, prompter });
    expect(r.code).toBe(0);
    expect(asked).toEqual(['Delete customer 1000072 (Toko Makmur)? This cannot be undone.']);
    expect(r.wire.map((w) => `${w.method} ${w.path}`)).toEqual([`GET /api/v2/customers/${PLAIN.customerId}`, 'DELETE /api/v2/customers/1000072']);
    expect(s.find(PLAIN.customerCode)).toBeUndefined();
  });

  it('--id with --yes resolves the code first; --email is unsupported', async () => {
    const r = await s.run(['--yes', 'delete', '--id', LUCY.customerId]);
    expect(r.code).toBe(0);
    expect(r.wire.map((w) => `${w.method} ${w.path}`)).toEqual([`GET /api/v2/customers/${LUCY.customerId}`, `DELETE /api/v2/customers/${LUCY.customerCode}`]);
    const email = await s.run(['--yes', 'delete', '--email', 'lucy@test.com']);
    expect(email.code).toBe(6);
    expect(email.stderr).toContain('delete by email is unsupported on mypos');
    expect(email.wire).toEqual([]);
  });
});

describe('suspend / unsuspend', () => {
  it('set active through read-merge-PUT; already in that state sends no PUT', async () => {
    const off = await s.run(['suspend', '--code', LUCY.customerCode]);
    expect([off.code, off.stdout]).toEqual([0, `suspended ${LUCY.customerCode}\n`]);
    expect(off.wire.map((w) => w.method)).toEqual(['GET', 'PUT']);
    expect(off.wire[1]!.body).toEqual({ ...api(lucy), active: false });
    expect(s.find(LUCY.customerCode)!.active).toBe(false);
    const again = await s.run(['suspend', '--id', LUCY.customerId]);
    expect(again.code).toBe(0);
    expect(again.wire.map((w) => w.method)).toEqual(['GET']);
    const on = await s.run(['unsuspend', '--code', LUCY.customerCode]);
    expect(on.code).toBe(0);
    expect(s.find(LUCY.customerCode)).toMatchObject({ active: true, city: 'Toronto' });
  });

  it('by email or phone: exit 6, nothing sent', async () => {
    for (const flag of ['--email', '--phone']) {
      const r = await s.run(['suspend', flag, 'x']);
      expect(r.code).toBe(6);
      expect(r.stderr).toContain(`suspend by ${flag.slice(2)} is unsupported on mypos`);
      expect(r.wire).toEqual([]);
    }
  });
});

describe('verbs MYPOS does not have', () => {
  it.each([
    [['merge', '--into', '1000070', '1000071', '--yes'], 'merge is unsupported on mypos (MYPOS Connect has no merge call)'],
    [['new-code'], 'new-code is unsupported on mypos (MYPOS assigns customer codes itself when a customer is created)'],
    [['pin', 'set', '--code', '1000070'], 'pin set is unsupported on mypos (MYPOS Connect customers have no PIN)'],
    [['pin', 'check', '--code', '1000070'], 'pin check is unsupported on mypos (MYPOS Connect customers have no PIN)'],
    [['verify', 'email', '--code', '1000070'], 'verify email is unsupported on mypos (MYPOS Connect keeps no verification flags)'],
    [['app-signin', '--code', '1000070'], 'app-signin is unsupported on mypos (MYPOS Connect has no customer app sign-in)'],
  ])('%j exits 6 without a prompt or a request', async (argv, message) => {
    // On a "terminal" with a prompter that fails on any question: nothing may be asked.
    const r = await s.run(argv, { tty: true, env: { NO_COLOR: '1' } });
    expect(r.stderr).toBe(`poscust: ${message}\n`);
    expect(r.code).toBe(6);
    expect([r.wire, r.logins]).toEqual([[], 0]);
  });
});
