// delete, suspend/unsuspend, merge, new-code, verify and app-signin, in-process against an
// in-process sandbox: the exact requests, confirmations with an injected prompter on a "terminal",
// the --yes rule without one, and the failure exit codes.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSandboxRun, type SandboxRun } from '../../helpers/sandbox-run.js';
import { ALL, BUDI, HENDRY, ODD, SITI } from '../../helpers/customers.js';

let s: SandboxRun;
beforeAll(async () => {
  s = await startSandboxRun();
});
afterAll(async () => {
  await s.sb.close();
});
beforeEach(async () => {
  await s.reset(ALL);
});

/** A prompter that records each question and answers `answer`. */
function asker(answer: boolean) {
  const asked: string[] = [];
  return { asked, prompter: { confirm: async (q: string) => (asked.push(q), answer) } };
}

describe('delete', () => {
  it('without a terminal and without --yes: exit 2 naming --yes, before any request (not even a login)', async () => {
    const before = s.sb.stats().requests;
    const r = await s.run(['delete', '--code', HENDRY.Code]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `poscust: delete customer with Code '${HENDRY.Code}': confirmation needed, but there is no terminal to ask on; pass --yes\n`,
    );
    expect(s.sb.stats().requests).toBe(before);
    expect(s.find(HENDRY.Code)).toBeDefined();
  });

  it.each([
    // Each delete reads the record first: the history keeps it whole, so undo can create it again.
    [
      '--code',
      HENDRY.Code,
      [
        ['GET', '/api/v3/Customer/Detail', [['Code', HENDRY.Code]]],
        ['DELETE', '/api/v3/Customer/DeleteByCode', [['Code', HENDRY.Code]]],
      ],
      `deleted ${HENDRY.Code}`,
    ],
    [
      '--email',
      HENDRY.Email,
      [
        ['GET', '/api/v3/Customer/Detail', [['Email', HENDRY.Email]]],
        ['DELETE', '/api/v3/Customer', [['Email', HENDRY.Email]]],
      ],
      `deleted ${HENDRY.Email}`,
    ],
    [
      '--id',
      HENDRY.ID,
      [
        ['GET', '/api/v3/Customer/Detail', [['ID', HENDRY.ID]]],
        ['DELETE', '/api/v3/Customer/DeleteByCode', [['Code', HENDRY.Code]]],
      ],
      `deleted ${HENDRY.Code}`,
    ],
  ])('with --yes by %s sends exactly the delete', async (flag, value, wire, line) => {
    const r = await s.run(['--yes', 'delete', flag, value]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${line}\n`);
    expect(r.wire.map((w) => [w.method, w.path, w.query])).toEqual(wire);
    expect(s.find(HENDRY.Code)).toBeUndefined();
  });

  it('on a terminal shows code and name, and deletes on "yes" (the record read once)', async () => {
    const { asked, prompter } = asker(true);
    const r = await s.run(['delete', '--id', HENDRY.ID, '--format', 'json'], { tty: true, prompter });
    expect(r.code).toBe(0);
    expect(asked).toEqual([`Delete customer ${HENDRY.Code} (${HENDRY.Name})? This cannot be undone.`]);
    expect(JSON.parse(r.stdout)).toEqual({ action: 'deleted', identifier: HENDRY.ID, id: HENDRY.ID, code: HENDRY.Code, server: { Message: 'Record deleted' } });
    expect(r.wire.map((w) => `${w.method} ${w.path}`)).toEqual(['GET /api/v3/Customer/Detail', 'DELETE /api/v3/Customer/DeleteByCode']);
    expect(s.find(HENDRY.Code)).toBeUndefined();
  });

  it('a declined confirmation exits 1 and sends no write', async () => {
    const { asked, prompter } = asker(false);
    const r = await s.run(['delete', '--code', ODD.Code], { tty: true, prompter });
    expect(r.code).toBe(1);
    expect(asked).toEqual([`Delete customer ${ODD.Code} (${ODD.Name})? This cannot be undone.`]);
    expect(r.stderr).toContain('cancelled; nothing was changed');
    expect(r.stdout).toBe('');
    expect(r.wire.map((w) => w.method)).toEqual(['GET']);
    expect(r.wire[0]!.query).toEqual([['Code', ODD.Code]]);
    expect(s.find(ODD.Code)).toBeDefined();
  });

  it('exits 3 naming the customer when there is none, without asking', async () => {
    const r = await s.run(['delete', '--code', 'GONE-1'], { tty: true, env: { NO_COLOR: '1' }, prompter: asker(true).prompter });
    expect(r.code).toBe(3);
    expect(r.stderr).toBe("poscust: customer with Code 'GONE-1' not found\n");
    const yes = await s.run(['delete', '--email', 'gone@example.id', '--yes']);
    expect(yes.code).toBe(3);
    expect(s.customers()).toHaveLength(ALL.length);
  });

  it('deletes an identifier with reserved and non-ASCII characters as that value', async () => {
    const r = await s.run(['delete', '--code', ODD.Code, '--yes']);
    expect(r.code).toBe(0);
    expect(r.wire[0]!.query).toEqual([['Code', ODD.Code]]);
    expect(s.find(ODD.Code)).toBeUndefined();
  });
});

describe('suspend / unsuspend', () => {
  it.each([
    ['--id', HENDRY.ID, 'ID'],
    ['--code', HENDRY.Code, 'Code'],
    ['--email', HENDRY.Email, 'Email'],
    ['--phone', HENDRY.Phone, 'Phone'],
  ])('by %s sends only that identifier', async (flag, value, field) => {
    const r = await s.run(['suspend', flag, value]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`suspended ${value}\n`);
    expect(r.wire).toEqual([{ method: 'PUT', path: '/api/v3/Customer/Suspend', query: [], body: { [field]: value }, status: 200 }]);
    expect(s.find(HENDRY.Code)?.Status).toBe('Suspended');
    const back = await s.run(['unsuspend', flag, value, '--json']);
    expect(back.code).toBe(0);
    expect(JSON.parse(back.stdout)).toEqual({
      action: 'unsuspended',
      identifier: value,
      id: flag === '--id' ? value : null,
      code: flag === '--code' ? value : null,
      server: { Message: 'The contact has been successfully unsuspended.' },
    });
    expect(back.wire[0]).toMatchObject({ path: '/api/v3/Customer/Unsuspend', body: { [field]: value } });
    expect(s.find(HENDRY.Code)?.Status).toBe('Active');
  });

  it('passes odd identifiers through unchanged; exits 3 for nobody and 2 for no or two identifiers', async () => {
    const odd = await s.run(['suspend', '--phone', ODD.Phone]);
    expect(odd.code).toBe(0);
    expect(odd.wire[0]!.body).toEqual({ Phone: ODD.Phone });
    expect(s.find(ODD.Code)?.Status).toBe('Suspended');
    const nf = await s.run(['suspend', '--email', 'nobody@example.id']);
    expect(nf.code).toBe(3);
    expect(nf.stderr).toBe("poscust: customer with Email 'nobody@example.id' not found\n");
    const none = await s.run(['unsuspend']);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('give one of --id, --code, --email, --phone');
    const two = await s.run(['suspend', '--id', HENDRY.ID, '--code', HENDRY.Code]);
    expect(two.code).toBe(2);
    expect([...none.wire, ...two.wire]).toEqual([]);
  });
});

describe('merge', () => {
  it('resolves every code, then sends one Merge; points are added and the sources deleted', async () => {
    const r = await s.run(['merge', '--into', HENDRY.Code, SITI.Code, BUDI.Code, '--yes']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`merged ${SITI.Code}, ${BUDI.Code} into ${HENDRY.Code} (LoyaltyPoint 105)\n`);
    expect(r.wire.map((w) => [w.method, w.path, w.query])).toEqual([
      ['GET', '/api/v3/Customer/Detail', [['Code', HENDRY.Code]]],
      ['GET', '/api/v3/Customer/Detail', [['Code', SITI.Code]]],
      ['GET', '/api/v3/Customer/Detail', [['Code', BUDI.Code]]],
      ['PUT', '/api/v3/Customer/Merge', []],
      // The survivor as the merge left it: the history's after-image, for undo.
      ['GET', '/api/v3/Customer/Detail', [['ID', HENDRY.ID]]],
    ]);
    expect(r.wire[3]!.body).toEqual({ TargetID: HENDRY.ID, SourceIDs: [SITI.ID, BUDI.ID] });
    expect(s.customers().map((c) => c.Code).sort()).toEqual([HENDRY.Code, ODD.Code].sort());
    expect(s.find(HENDRY.Code)?.LoyaltyPoint).toBe(105);
  });

  it('--by-id resolves all IDs in one ListID request', async () => {
    const r = await s.run(['merge', '--by-id', '--into', SITI.ID, ODD.ID, '--yes', '--format', 'json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ action: 'merged', identifier: SITI.ID, id: SITI.ID, code: SITI.Code, server: { ID: SITI.ID, Message: 'Customers merged' } });
    expect(r.wire.map((w) => [w.method, w.path, w.query])).toEqual([
      ['GET', '/api/v3/Customer/ListID', [['ID', SITI.ID], ['ID', ODD.ID]]],
      ['PUT', '/api/v3/Customer/Merge', []],
      ['GET', '/api/v3/Customer/Detail', [['ID', SITI.ID]]],
    ]);
  });

  it('an unknown code is exit 3 naming it, and nothing changes', async () => {
    const r = await s.run(['merge', '--into', HENDRY.Code, SITI.Code, 'NOPE-9', 'NOPE-10', '--yes']);
    expect(r.code).toBe(3);
    expect(r.stderr).toBe("poscust: customers with code 'NOPE-9', 'NOPE-10' not found; nothing was merged\n");
    expect(r.wire.every((w) => w.method === 'GET')).toBe(true);
    const byId = await s.run(['merge', '--by-id', '--into', HENDRY.ID, '00000000-0000-4000-8000-000000000000', '--yes']);
    expect(byId.code).toBe(3);
    expect(byId.stderr).toContain("customer with ID '00000000-0000-4000-8000-000000000000' not found");
    expect(byId.wire.every((w) => w.method === 'GET')).toBe(true);
    expect(s.customers()).toHaveLength(ALL.length);
  });

  it('on a terminal shows the plan with the points, then a declined confirmation changes nothing', async () => {
    const { asked, prompter } = asker(false);
    const r = await s.run(['merge', '--into', HENDRY.Code, SITI.Code], { tty: true, prompter });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      [
        `Merge into ${HENDRY.Code} (${HENDRY.Name}), LoyaltyPoint 88:`,
        `  delete ${SITI.Code} (${SITI.Name}), LoyaltyPoint 12`,
        `${HENDRY.Code} gets 12 more: LoyaltyPoint 88 -> 100`,
      ].join('\n'),
    );
    expect(asked).toEqual([`Merge this customer into ${HENDRY.Code}?`]);
    expect(r.wire.map((w) => w.method)).toEqual(['GET', 'GET']);
    expect(s.customers()).toHaveLength(ALL.length);
  });

  it('refuses a target among the sources, a repeated source, and no --yes without a terminal, before any request', async () => {
    const self = await s.run(['merge', '--into', HENDRY.Code, 'hwcisap', '--yes']);
    expect(self.code).toBe(2);
    expect(self.stderr).toContain('cannot be merged into itself');
    const twice = await s.run(['merge', '--into', HENDRY.Code, SITI.Code, SITI.Code, '--yes']);
    expect(twice.code).toBe(2);
    const noYes = await s.run(['merge', '--into', HENDRY.Code, SITI.Code]);
    expect(noYes.code).toBe(2);
    expect(noYes.stderr).toContain('pass --yes');
    const noInto = await s.run(['merge', SITI.Code, '--yes']);
    expect(noInto.code).toBe(2);
    expect([...self.wire, ...twice.wire, ...noYes.wire, ...noInto.wire]).toEqual([]);
  });
});

describe('new-code, verify, app-signin', () => {
  it('new-code prints the next code (a JSON string with --json); exit 1 with the reason when the generator is off', async () => {
    const r = await s.run(['new-code']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('BUDI-8\n');
    expect(r.wire).toEqual([{ method: 'GET', path: '/api/v3/Customer/NewCode', query: [], body: null, status: 200 }]);
    expect(JSON.parse((await s.run(['new-code', '--json'])).stdout)).toBe('BUDI-8');
    s.sb.configure({ codeGenerator: false });
    const off = await s.run(['new-code']);
    expect(off.code).toBe(1);
    expect(off.stdout).toBe('');
    expect(off.stderr).toContain('no customer code generator switched on');
    expect(off.stderr).toContain('Customer code generator is not enabled');
  });

  it.each([
    [['verify', 'email', '--code', HENDRY.Code], '/api/v3/Customer/VerifyEmail', true, 'EmailVerified', `email verified ${HENDRY.Code}`],
    [['verify', 'mobile', '--id', HENDRY.ID], '/api/v3/Customer/VerifyMobile', true, 'MobileVerified', `mobile verified ${HENDRY.ID}`],
  ])('%j sends {ID, Verified}', async (args, path, verified, flag, line) => {
    const r = await s.run(args);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${line}\n`);
    expect(r.wire.at(-1)).toEqual({ method: 'PUT', path, query: [], body: { ID: HENDRY.ID, Verified: verified }, status: 200 });
    expect(s.find(HENDRY.Code)?.[flag]).toBe(true);
    const un = await s.run([...args, '--unverify']);
    expect(un.code).toBe(0);
    expect(un.wire.at(-1)!.body).toEqual({ ID: HENDRY.ID, Verified: false });
    expect(s.find(HENDRY.Code)?.[flag]).toBe(false);
  });

  it('verify rejects an unknown target and a phone lookup with exit 2; unknown customer exit 3', async () => {
    expect((await s.run(['verify', 'phone', '--code', HENDRY.Code])).code).toBe(2);
    expect((await s.run(['verify', 'email', '--email', HENDRY.Email])).code).toBe(2);
    const nf = await s.run(['verify', 'email', '--code', 'NOPE']);
    expect(nf.code).toBe(3);
    expect(nf.stderr).toBe("poscust: customer with Code 'NOPE' not found\n");
  });

  it('app-signin resolves the code and sends {ID}', async () => {
    const r = await s.run(['app-signin', '--code', ODD.Code]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`signed in ${ODD.Code}\n`);
    expect(r.wire).toEqual([
      { method: 'GET', path: '/api/v3/Customer/Detail', query: [['Code', ODD.Code]], body: null, status: 200 },
      { method: 'PUT', path: '/api/v3/Customer/AppSignIn', query: [], body: { ID: ODD.ID }, status: 200 },
    ]);
    expect(s.find(ODD.Code)?.AppLastSignIn).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/);
    const nf = await s.run(['app-signin', '--id', '00000000-0000-4000-8000-000000000000']);
    expect(nf.code).toBe(3);
  });
});
