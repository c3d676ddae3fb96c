// The write commands on PORTOS, in-process against the in-process PORTOS sandbox over loopback:
// what went on the wire (the sandbox's request log) and what the sandbox holds afterwards.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Agent, Dispatcher } from 'undici';
import { type PortosRun, startPortosRun } from '../../helpers/portos.js';

const JAN = {
  id: 'jan-1', externalId: 'E-1', firstName: 'Ján', lastName: 'Novák', email: 'jan@portos.sk',
  address: { street: 'Hlavná 1', city: 'Košice', zipCode: '04001', country: 'SK' },
  credit: { amount: 5, currencyLabel: 'EUR' }, discountRate: 5, note: null,
};
const EVA = { id: 'eva/2', externalId: 'E-2', firstName: 'Eva', lastName: 'Malá' };

let p: PortosRun;
beforeAll(async () => {
  p = await startPortosRun();
});
afterAll(async () => {
  await p?.sb.close();
});
beforeEach(async () => {
  await p.reset([JAN, EVA]);
});

describe('create on portos', () => {
  it('creates from options and dotted --set names as nested members, prints the id (201)', async () => {
    const r = await p.run([
      'create', '--first-name', 'Zuzana', '--last-name', 'Veselá', '--email', 'zuzana@portos.sk', '--mobile', '+421 900 123 456',
      '--active', 'true', '--set', 'address.city=Bratislava', '--set', 'address.zipCode=81101', '--set', 'credit.amount=10', '--set', 'externalId=E-77',
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.wire.map((w) => [w.method, w.path, w.status])).toEqual([['POST', '/customers', 201]]);
    expect(r.wire[0]!.body).toEqual({
      firstName: 'Zuzana', lastName: 'Veselá', email: 'zuzana@portos.sk', phone: '+421 900 123 456', isActive: true,
      address: { city: 'Bratislava', zipCode: '81101' }, credit: { amount: 10 }, externalId: 'E-77',
    });
    const id = r.stdout.trim();
    expect(p.customer(id)).toMatchObject({
      fullName: 'Zuzana Veselá', externalId: 'E-77', _v: 1,
      address: { street: null, city: 'Bratislava', zipCode: '81101', country: null }, credit: { amount: 10, currencyLabel: null },
    });
  });

  it('takes nested objects and JSON members from --from-json, and a chosen id; --json prints the created record', async () => {
    const r = await p.run(['create', '--from-json', '-', '--set', 'id=shop-9', '--json'], {
      stdin: JSON.stringify({ lastName: 'Tichá', deliveryAddress: { city: 'Nitra' }, meta: { loyalty: 'gold' }, cards: [{ serialNumber: 'CARD-9' }] }),
    });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ action: 'created', id: 'shop-9', server: { id: 'shop-9', _v: 1, deliveryAddress: { city: 'Nitra' }, meta: { loyalty: 'gold' }, cards: [{ serialNumber: 'CARD-9', isActive: true }] } });
  });

  it('exits 2 listing the members the server rejects, 5 for a duplicate, 6 for options PORTOS has no field for', async () => {
    const invalid = await p.run(['create', '--note', 'no name', '--set', 'discountRate=150']);
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toMatch(/^poscust: 127\.0\.0\.1:\d+ rejected the customer: Validation failed: One or more validation errors occurred\. — discountRate: discountRate must be from 0 to 100\.; lastName: lastName is required \(or firstName, or company\.name for a company\)\.\n$/);
    const dup = await p.run(['create', '--last-name', 'X', '--set', 'externalId=e-1']);
    expect(dup.code).toBe(5);
    expect(dup.stderr).toContain("externalId: externalId 'e-1' is already used by another customer.");
    for (const option of [['--name', 'X'], ['--code', 'C1'], ['--group', 'Gold']]) {
      const r = await p.run(['create', ...option]);
      expect(r.code, option[0]).toBe(6);
      expect(r.stderr).toBe(`poscust: create ${option[0]} is unsupported on portos (portos customers have no such field)\n`);
      expect(r.wire).toEqual([]);
    }
    const derived = await p.run(['create', '--last-name', 'X', '--set', '_v=3']);
    expect(derived.code).toBe(2);
    expect(derived.stderr).toContain("field '_v' is assigned by the server");
    expect(p.sb.customers()).toHaveLength(2);
  });
});

describe('update-by on portos', () => {
  it('reads, deep-merges dotted fields and PUTs with the read _v', async () => {
    const r = await p.run(['update-by', 'id', 'jan-1', '--set', 'address.city=Bratislava', '--set', 'credit.amount=10', '--note', 'VIP']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('updated jan-1\n');
    expect(r.wire.map((w) => [w.method, w.path, w.status])).toEqual([['GET', '/customers/jan-1', 200], ['PUT', '/customers/jan-1', 200]]);
    expect(r.wire[1]!.body).toMatchObject({
      id: 'jan-1', _v: 1, note: 'VIP', externalId: 'E-1',
      address: { street: 'Hlavná 1', city: 'Bratislava', zipCode: '04001', country: 'SK' }, credit: { amount: 10, currencyLabel: 'EUR' },
    });
    expect(p.customer('jan-1')).toMatchObject({ _v: 2, note: 'VIP', address: { street: 'Hlavná 1', city: 'Bratislava' }, credit: { amount: 10, currencyLabel: 'EUR' } });
  });

  it('encodes the id as one path segment', async () => {
    const r = await p.run(['update-by', 'id', 'eva/2', '--set', 'deliveryAddress.country=SK']);
    expect(r.code, r.stderr).toBe(0);
    expect(p.customer('eva/2')).toMatchObject({ deliveryAddress: { country: 'SK' }, _v: 2 });
  });

  it('--dry-run reads, then prints the PUT with the merged record and its _v, changing nothing', async () => {
    const r = await p.run(['update-by', 'id', 'jan-1', '--set', 'address.city=Žilina', '--dry-run', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const plan = JSON.parse(r.stdout) as { method: string; url: string; body: Record<string, unknown> };
    expect(plan).toMatchObject({ dryRun: true, method: 'PUT', url: `${p.sb.origin}/customers/jan-1` });
    expect(plan.body).toMatchObject({ _v: 1, address: { street: 'Hlavná 1', city: 'Žilina' } });
    expect(r.wire.map((w) => w.method)).toEqual(['GET']);
    expect(p.customer('jan-1')).toMatchObject({ _v: 1, address: { city: 'Košice' } });
  });

  it('keeps a change another till made between our read and our write (re-read, re-apply, retry)', async () => {
    const agent = new Agent();
    let puts = 0;
    // Before our first PUT goes out, the "till" changes the phone number with its own read-merge-PUT.
    const till = async () => {
      const current = p.customer('jan-1')!;
      await p.reset([{ ...current, phone: '+421 2 5555 5555', _v: (current._v as number) + 1 }, EVA]);
    };
    const dispatcher = new (class extends Dispatcher {
      override dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
        if (options.method === 'PUT' && ++puts === 1) {
          void till().then(() => agent.dispatch(options, handler));
          return true;
        }
        return agent.dispatch(options, handler);
      }
    })();
    try {
      const r = await p.run(['update-by', 'id', 'jan-1', '--note', 'VIP', '--verbose'], { dispatcher });
      expect(r.code, r.stderr).toBe(0);
      expect(r.wire.map((w) => `${w.method} ${w.status}`)).toEqual(['GET 200', 'PUT 400', 'GET 200', 'PUT 200']);
      expect(r.stderr).toContain("! customer with id 'jan-1' changed since it was read (version 1); reading it again");
      expect(p.customer('jan-1')).toMatchObject({ phone: '+421 2 5555 5555', note: 'VIP', _v: 3 });
    } finally {
      await agent.close();
    }
  });

  it('says unsupported (exit 6) for keys PORTOS cannot look up, without a request', async () => {
    for (const key of ['code', 'email', 'mobile']) {
      const r = await p.run(['update-by', key, 'x', '--note', 'y']);
      expect(r.code, key).toBe(6);
      expect(r.stderr).toBe(`poscust: update by ${key} is unsupported on portos\n`);
      expect(r.wire).toEqual([]);
    }
  });

  it('exits 3 for an unknown id, and 4 naming the right a restricted user lacks', async () => {
    const nf = await p.run(['update-by', 'id', 'nobody', '--note', 'x']);
    expect([nf.code, nf.stderr]).toEqual([3, "poscust: customer with id 'nobody' not found\n"]);
    const cashier = { POSCUST_USERNAME: 'cashier', POSCUST_PASSWORD: 'cashier-password' };
    const discount = await p.run(['update-by', 'id', 'jan-1', '--set', 'discountRate=50'], { env: cashier });
    expect(discount.code).toBe(4);
    expect(discount.stderr).toContain('(403: the user lacks the CustomerSetDiscount right — Forbidden:');
    const credit = await p.run(['update-by', 'id', 'jan-1', '--set', 'credit.amount=99'], { env: cashier });
    expect(credit.stderr).toContain('the user lacks the CustomerSetCredit right');
    const note = await p.run(['update-by', 'id', 'jan-1', '--note', 'fine'], { env: cashier });
    expect(note.code).toBe(0);
    expect(p.customer('jan-1')).toMatchObject({ note: 'fine', discountRate: 5, credit: { amount: 5 } });
  });
});

describe('suspend, unsuspend and delete on portos', () => {
  it('suspend and unsuspend set isActive through read-merge-PUT', async () => {
    const s = await p.run(['suspend', '--id', 'jan-1']);
    expect([s.code, s.stdout]).toEqual([0, 'suspended jan-1\n']);
    expect(s.wire.map((w) => w.method)).toEqual(['GET', 'PUT']);
    expect(p.customer('jan-1')).toMatchObject({ isActive: false, status: 'NotActive', _v: 2 });
    const u = await p.run(['unsuspend', '--id', 'jan-1']);
    expect(u.code).toBe(0);
    expect(p.customer('jan-1')).toMatchObject({ isActive: true, status: 'Valid', _v: 3 });
    const byEmail = await p.run(['suspend', '--email', 'jan@portos.sk']);
    expect([byEmail.code, byEmail.stderr]).toEqual([6, 'poscust: suspend by email is unsupported on portos\n']);
  });

  it('delete --id removes the customer; unknown id exit 3; by code exit 6; the cashier gets 403', async () => {
    const cashier = await p.run(['delete', '--id', 'eva/2', '--yes'], { env: { POSCUST_USERNAME: 'cashier', POSCUST_PASSWORD: 'cashier-password' } });
    expect(cashier.code).toBe(4);
    expect(cashier.stderr).toContain('the user lacks the CustomerDelete right');
    const r = await p.run(['delete', '--id', 'eva/2', '--yes', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ action: 'deleted', identifier: 'eva/2', id: 'eva/2', server: { id: 'eva/2', lastName: 'Malá' } });
    // The read first is the history's before-image.
    expect(r.wire.map((w) => `${w.method} ${w.path} ${w.status}`)).toEqual(['GET /customers/eva/2 200', 'DELETE /customers/eva/2 200']);
    expect(p.customer('eva/2')).toBeUndefined();
    expect((await p.run(['delete', '--id', 'eva/2', '--yes'])).code).toBe(3);
    const byCode = await p.run(['delete', '--code', 'E-1', '--yes']);
    expect([byCode.code, byCode.stderr]).toEqual([6, 'poscust: delete by code is unsupported on portos\n']);
  });

  it.each([
    [['merge', '--into', 'a', 'b', '--yes'], 'merge'],
    [['new-code'], 'new-code'],
    [['app-signin', '--id', 'jan-1'], 'app-signin'],
    [['verify', 'email', '--id', 'jan-1'], 'verify'],
    [['pin', 'set', '--id', 'jan-1', '--pin-stdin'], 'pin'],
  ])('%j is unsupported on portos (exit 6, no request)', async (argv, verb) => {
    const r = await p.run(argv, { stdin: '1234\n' });
    expect(r.code).toBe(6);
    expect(r.stderr).toMatch(new RegExp(`^poscust: ${verb}.* is unsupported on portos`));
    expect(r.wire).toEqual([]);
  });
});
