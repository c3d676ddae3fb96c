// The write commands as users and cron jobs run them: the built binary, without a terminal, against
// `poscust sandbox` in its own process; the sandbox's request log shows what went on the wire.
// The last block drives a real pseudo-terminal (util-linux `script`) for the prompts.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { poscust, startSandboxProcess, type SandboxProcess } from '../helpers/e2e.js';
import { hasScript, runInPty } from '../helpers/pty.js';
import { ALL, BUDI, HENDRY, ODD, SITI } from '../helpers/customers.js';

interface Logged {
  seq: number;
  method: string;
  path: string;
  query: string;
  body: unknown;
  status: number | null;
}
type Customer = Record<string, unknown> & { ID: string; Code: string | null };

let sb: SandboxProcess;
let mark = 0;

beforeAll(async () => {
  sb = await startSandboxProcess(['--seed', '0']);
});
afterAll(async () => {
  await sb?.stop();
});
beforeEach(async () => {
  await sb.control('/_sandbox/customers', { method: 'PUT', body: ALL });
  await sb.control('/_sandbox/config', { method: 'PUT', body: { codeGenerator: true } });
  mark = ((await sb.control<Logged[]>('/_sandbox/requests')).at(-1)?.seq ?? 0);
});

/** API requests since the test started, logins left out. */
async function wire(): Promise<Logged[]> {
  const log = await sb.control<Logged[]>('/_sandbox/requests');
  return log.filter((r) => r.seq > mark && !/token\/oauth2$/i.test(r.path));
}
async function customer(code: string): Promise<Customer | undefined> {
  return (await sb.control<Customer[]>('/_sandbox/customers')).find((c) => c.Code === code);
}
const run = (args: string[], input?: string) => poscust(args, { env: sb.env, input });

describe('write commands end to end', () => {
  it('create prints the new ID; the POST carries exactly the typed fields; a duplicate is exit 5', async () => {
    const r = await run(['create', '--name', 'Dewi Lestari', '--code', 'DL-1', '--email', 'dewi@example.id', '--loyalty-point', '15', '--birthdate', '1990-07-14']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const created = await customer('DL-1');
    expect(r.stdout).toBe(`${created!.ID}\n`);
    expect(created).toMatchObject({ Name: 'Dewi Lestari', LoyaltyPoint: 15, BirthDate: '1990-07-14T00:00:00' });
    expect((await wire()).map((w) => [w.method, w.path, w.body])).toEqual([
      ['POST', '/api/v3/Customer', { Name: 'Dewi Lestari', Code: 'DL-1', Email: 'dewi@example.id', LoyaltyPoint: 15, BirthDate: '1990-07-14' }],
    ]);

    const dup = await run(['create', '--name', 'Again', '--email', HENDRY.Email]);
    expect(dup.code).toBe(5);
    expect(dup.stderr).toBe(`poscust: Email ${HENDRY.Email} already exists.\n`);
  });

  it('invalid values are exit 2 before any request', async () => {
    const before = (await wire()).length;
    for (const args of [['--email', 'nope'], ['--birthdate', '2024-13-01'], ['--loyalty-point', '1O']]) {
      const r = await run(['create', '--name', 'X', ...args]);
      expect(r.code, args.join(' ')).toBe(2);
    }
    expect(await wire()).toHaveLength(before);
  });

  it('update-by changes only the named fields; --dry-run prints the request and sends nothing', async () => {
    const dry = await run(['update-by', 'mobile', HENDRY.Mobile, '--group', 'Platinum', '--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toBe(`PUT ${sb.info.baseUrl}/Customer/ByMobilePhone\n${JSON.stringify({ Group: 'Platinum', Mobile: HENDRY.Mobile }, null, 2)}\n`);
    expect(await wire()).toEqual([]);

    const r = await run(['update-by', 'code', HENDRY.Code, '--group', 'Platinum', '--set', 'expiredgroup=2026-12-31']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`updated ${HENDRY.Code}\n`);
    // A read (the history's before-image), then the update.
    expect((await wire()).map((w) => w.body)).toEqual([null, { Group: 'Platinum', ExpiredGroup: '2026-12-31', Code: HENDRY.Code }]);
    expect(await customer(HENDRY.Code)).toMatchObject({ ...HENDRY, Group: 'Platinum', ExpiredGroup: '2026-12-31T00:00:00' });

    const nf = await run(['update-by', 'email', 'nobody@example.id', '--group', 'X']);
    expect(nf.code).toBe(3);
    expect(nf.stderr).toBe("poscust: customer with Email 'nobody@example.id' not found\n");
  });

  it('suspend and unsuspend; odd identifiers reach the server as the same value', async () => {
    expect((await run(['suspend', '--code', ODD.Code])).stdout).toBe(`suspended ${ODD.Code}\n`);
    expect((await customer(ODD.Code))?.Status).toBe('Suspended');
    const un = await run(['unsuspend', '--email', ODD.Email]);
    expect(un.code).toBe(0);
    expect((await customer(ODD.Code))?.Status).toBe('Active');
    expect((await wire()).map((w) => w.body)).toEqual([{ Code: ODD.Code }, { Email: ODD.Email }]);
  });

  it('delete needs --yes without a terminal (exit 2, nothing sent), then deletes; a second delete is exit 3', async () => {
    const refused = await run(['delete', '--code', ODD.Code]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('pass --yes');
    expect(await wire()).toEqual([]);
    expect(await customer(ODD.Code)).toBeDefined();

    const r = await run(['delete', '--code', ODD.Code, '--yes']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`deleted ${ODD.Code}\n`);
    const [read, del] = await wire();
    expect(read).toMatchObject({ method: 'GET', path: '/api/v3/Customer/Detail' });
    expect(del).toMatchObject({ method: 'DELETE', path: '/api/v3/Customer/DeleteByCode' });
    expect([...new URLSearchParams(del!.query)]).toEqual([['Code', ODD.Code]]);
    expect(await customer(ODD.Code)).toBeUndefined();
    expect((await run(['delete', '--code', ODD.Code, '--yes'])).code).toBe(3);
  });

  it('merge resolves every code first: an unknown one is exit 3 with nothing changed; then merges', async () => {
    const bad = await run(['merge', '--into', HENDRY.Code, SITI.Code, 'NOPE-1', '--yes']);
    expect(bad.code).toBe(3);
    expect(bad.stderr).toBe("poscust: customer with code 'NOPE-1' not found; nothing was merged\n");
    expect((await wire()).every((w) => w.method === 'GET')).toBe(true);

    const r = await run(['merge', '--into', HENDRY.Code, SITI.Code, BUDI.Code, '--yes']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`merged ${SITI.Code}, ${BUDI.Code} into ${HENDRY.Code} (LoyaltyPoint 105)\n`);
    expect((await customer(HENDRY.Code))?.LoyaltyPoint).toBe(105);
    expect(await customer(SITI.Code)).toBeUndefined();
  });

  it('new-code prints the next code, and exits 1 with a clear message when the generator is off', async () => {
    const r = await run(['new-code']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('BUDI-8\n');
    await sb.control('/_sandbox/config', { method: 'PUT', body: { codeGenerator: false } });
    const off = await run(['new-code']);
    expect(off.code).toBe(1);
    expect(off.stderr).toMatch(/^poscust: this shop has no customer code generator switched on: .*Settings > Customer/);
  });

  it('pin set and check with --pin-stdin: 0 valid, 8 rejected, 2 malformed; the PIN is never shown', async () => {
    const set = await run(['--verbose', 'pin', 'set', '--code', HENDRY.Code, '--pin-stdin'], '5307\n');
    expect(set.code).toBe(0);
    expect(set.stdout).toBe(`PIN set ${HENDRY.Code}\n`);
    expect(set.stderr).toContain('"PIN":"[redacted]"');
    expect(set.stderr).not.toContain('5307');
    expect((await run(['pin', 'check', '--code', HENDRY.Code, '--pin-stdin'], '5307')).code).toBe(0);
    const wrong = await run(['--verbose', 'pin', 'check', '--code', HENDRY.Code, '--pin-stdin'], '5308');
    expect(wrong.code).toBe(8);
    expect(wrong.stderr).toContain(`poscust: PIN rejected for customer with Code '${HENDRY.Code}'`);
    expect(wrong.stderr).not.toContain('5308');
    const before = (await wire()).length;
    expect((await run(['pin', 'check', '--code', HENDRY.Code, '--pin-stdin'], '53a7')).code).toBe(2);
    expect(await wire()).toHaveLength(before);
  });

  it('verify and app-signin', async () => {
    expect((await run(['verify', 'email', '--code', SITI.Code])).stdout).toBe(`email verified ${SITI.Code}\n`);
    expect((await run(['verify', 'mobile', '--id', SITI.ID, '--unverify'])).code).toBe(0);
    expect((await run(['app-signin', '--code', SITI.Code])).stdout).toBe(`signed in ${SITI.Code}\n`);
    expect(await customer(SITI.Code)).toMatchObject({ EmailVerified: true, MobileVerified: false, AppLastSignIn: expect.any(String) });
  });
});

describe('on a real terminal (pseudo-terminal via script)', () => {
  it('has util-linux script to make one', () => {
    expect(hasScript(), 'util-linux `script` is needed for the pseudo-terminal tests').toBe(true);
  });

  it('delete asks with the name and code: "n" exits 1 with nothing sent, "y" deletes', async () => {
    const question = `Delete customer ${SITI.Code} (${SITI.Name})?`;
    const no = await runInPty(['delete', '--code', SITI.Code], sb.env, [{ waitFor: question, type: 'n\r' }]);
    expect(no.code).toBe(1);
    expect(no.screen).toContain('cancelled; nothing was changed');
    expect((await wire()).map((w) => w.method)).toEqual(['GET']);
    expect(await customer(SITI.Code)).toBeDefined();

    const yes = await runInPty(['delete', '--code', SITI.Code], sb.env, [{ waitFor: question, type: 'y\r' }]);
    expect(yes.code).toBe(0);
    expect(yes.screen).toContain(`deleted ${SITI.Code}`);
    expect(await customer(SITI.Code)).toBeUndefined();
  });

  it('pin set reads the PIN twice from a hidden prompt; the terminal never shows it', async () => {
    const r = await runInPty(['pin', 'set', '--code', BUDI.Code], sb.env, [
      { waitFor: 'PIN:', type: '719264\r' },
      { waitFor: 'PIN again:', type: '719264\r' },
    ]);
    expect(r.code).toBe(0);
    expect(r.screen).toContain(`PIN set ${BUDI.Code}`);
    expect(r.screen).not.toContain('719264');
    expect((await run(['pin', 'check', '--code', BUDI.Code, '--pin-stdin'], '719264')).code).toBe(0);
  });
});
