// create and update-by, in-process against an in-process sandbox: the exact request on the wire,
// what it did to the store, and every failure path with its exit code.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../helpers/harness.js';
import { startSandboxRun, type SandboxRun } from '../../helpers/sandbox-run.js';
import { ALL, HENDRY, ODD, SITI } from '../../helpers/customers.js';

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

describe('create', () => {
  it('sends one POST /Customer with the options typed under native names and prints the new ID', async () => {
    const r = await s.run([
      'create', '--name', 'Dewi Lestari', '--email', 'dewi@example.id', '--mobile', '0813555000', '--code', 'DL-1',
      '--birthdate', '1990-07-14', '--loyalty-point', '50', '--gender', 'true', '--outlet', 'Outlet2',
      '--set', 'referredby=HWCISAP', '--set', 'ExpiredGroup=2027-12-31',
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.wire).toEqual([
      {
        method: 'POST', path: '/api/v3/Customer', query: [], status: 200,
        body: {
          Name: 'Dewi Lestari', Email: 'dewi@example.id', Mobile: '0813555000', Code: 'DL-1', BirthDate: '1990-07-14',
          LoyaltyPoint: 50, Gender: true, SignUpOutlet: 'Outlet2', ReferredBy: 'HWCISAP', ExpiredGroup: '2027-12-31',
        },
      },
    ]);
    const created = s.find('DL-1')!;
    expect(r.stdout).toBe(`${created.ID}\n`);
    expect(created).toMatchObject({ Name: 'Dewi Lestari', BirthDate: '1990-07-14T00:00:00', LoyaltyPoint: 50, Gender: true });
  });

  it('prints the server answer with --format json; the generator assigns a code when none is given', async () => {
    const r = await s.run(['create', '--name', 'Tanpa Kode', '--format', 'json']);
    expect(r.code).toBe(0);
    const printed = JSON.parse(r.stdout);
    expect(Object.keys(printed)).toEqual(['action', 'identifier', 'id', 'code', 'server']);
    const answer = printed.server;
    expect(Object.keys(answer)).toEqual(['ID']);
    expect(printed).toMatchObject({ action: 'created', identifier: null, id: answer.ID, code: null });
    // The next PREFIX-NNN code after the highest one (BUDI-7).
    expect(s.customers().find((c) => c.ID === answer.ID)?.Code).toBe('BUDI-8');
  });

  it('takes --from-json (file or stdin); command-line options override it; nested objects are not fields', async () => {
    const dir = tempDir();
    const file = join(dir, 'c.json');
    writeFileSync(file, JSON.stringify({ name: 'From File', Email: 'file@example.id', LoyaltyPoint: 7, Gender: false }));
    const r = await s.run(['create', '--from-json', file, '--email', 'cli@example.id']);
    expect(r.code).toBe(0);
    expect(r.wire[0]!.body).toEqual({ Name: 'From File', Email: 'cli@example.id', LoyaltyPoint: 7, Gender: false });

    const piped = await s.run(['create', '--from-json', '-'], { stdin: '\uFEFF{"Name": "From Stdin", "BirthDate": "2001-02-03"}\n' });
    expect(piped.code).toBe(0);
    expect(piped.wire[0]!.body).toEqual({ Name: 'From Stdin', BirthDate: '2001-02-03' });

    const nested = await s.run(['create', '--from-json', '-'], { stdin: '{"Name": "N", "Extra": {"City": "Jakarta"}}' });
    expect(nested.code).toBe(2);
    expect(nested.stderr).toContain("unknown field 'Extra.City'; valid fields: Code, Name");
    const object = await s.run(['create', '--from-json', '-'], { stdin: '{"Name": "N", "Address": {"City": "Jakarta"}}' });
    expect(object.code).toBe(2);
    expect(object.stderr).toContain('Address: {"City":"Jakarta"} is not text');
    expect([...nested.wire, ...object.wire]).toEqual([]);
  });

  it.each([
    [['--name', 'X', '--email', 'not-an-email'], "Email: 'not-an-email' is not an e-mail address"],
    [['--name', 'X', '--birthdate', '1990-02-30'], "BirthDate: '1990-02-30' is not a date (yyyy-MM-dd)"],
    [['--name', 'X', '--loyalty-point', 'ten'], "LoyaltyPoint: 'ten' is not a number"],
    [['--name', 'X', '--gender', 'maybe'], "Gender: 'maybe' is not true or false"],
    [['--name', 'X', '--set', 'Colour=red'], "unknown field 'Colour'; valid fields: Code, Name, FirstName"],
    [['--name', 'X', '--set', 'ID=123'], "field 'ID' is assigned by the server"],
    [['--name', 'X', '--set', 'JoinDate'], "--set needs Field=Value, got 'JoinDate'"],
    [['--name', 'X', '--set', 'name=Y'], 'Name is given twice with different values (--name and --set name)'],
    [['--from-json', '-'], "--from-json stdin must hold one JSON object of fields"],
    [[], 'nothing to create: give field options'],
  ])('rejects %j with exit 2 before any request', async (args, message) => {
    const r = await s.run(['create', ...args], { stdin: '[1, 2]' });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
    expect(r.wire).toEqual([]);
    expect(s.customers()).toHaveLength(ALL.length);
  });

  it('rejects --from-json with a wrongly typed value and an unreadable file with exit 2', async () => {
    const typed = await s.run(['create', '--from-json', '-'], { stdin: '{"Name": "X", "LoyaltyPoint": true}' });
    expect(typed.code).toBe(2);
    expect(typed.stderr).toContain('LoyaltyPoint: true is not a number');
    const missing = await s.run(['create', '--from-json', join(tempDir(), 'nope.json')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('cannot read --from-json');
    expect([...typed.wire, ...missing.wire]).toEqual([]);
  });

  it('is unsupported (exit 6) for a convenience option the backend has no field for, before any request', async () => {
    const r = await s.run(['create', '--name', 'X', '--note', 'VIP']);
    expect(r.code).toBe(6);
    expect(r.stderr).toBe('poscust: create --note is unsupported on dealpos (dealpos customers have no such field)\n');
    expect(r.wire).toEqual([]);
  });

  it('exits 5 with the server reason on a duplicate code, and 2 when the server rejects a value', async () => {
    const dup = await s.run(['create', '--name', 'Copy', '--code', 'hwcisap']);
    expect(dup.code).toBe(5);
    expect(dup.stderr).toBe('poscust: Code hwcisap already exists.\n');
    const json = await s.run(['create', '--name', 'Copy', '--mobile', HENDRY.Mobile, '--json']);
    expect(json.code).toBe(5);
    expect(JSON.parse(json.stderr)).toEqual({
      error: { code: 5, kind: 'conflict', message: `Mobile ${HENDRY.Mobile} already exists.`, status: 400 },
    });
    const noName = await s.run(['create', '--email', 'x@example.id']);
    expect(noName.code).toBe(2);
    expect(noName.stderr).toContain('Name is required.');
    expect(s.customers()).toHaveLength(ALL.length);
  });
});

describe('update-by', () => {
  it('sends only the changed fields with the key to ByCode and leaves the rest of the record alone', async () => {
    const r = await s.run(['update-by', 'code', HENDRY.Code, '--group', 'Platinum', '--loyalty-point', '120', '--set', 'Address=']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`updated ${HENDRY.Code}\n`);
    // The read first is the history's: the before-image of what the update changes (for undo).
    expect(r.wire).toEqual([
      { method: 'GET', path: '/api/v3/Customer/Detail', query: [['Code', HENDRY.Code]], status: 200, body: null },
      { method: 'PUT', path: '/api/v3/Customer/ByCode', query: [], status: 200, body: { Group: 'Platinum', LoyaltyPoint: 120, Address: null, Code: HENDRY.Code } },
    ]);
    expect(s.find(HENDRY.Code)).toMatchObject({ ...HENDRY, Group: 'Platinum', LoyaltyPoint: 120, Address: null });
  });

  it.each([
    ['id', HENDRY.ID, '/api/v3/Customer/ByID', 'ID'],
    ['email', HENDRY.Email, '/api/v3/Customer', 'Email'],
    ['mobile', HENDRY.Mobile, '/api/v3/Customer/ByMobilePhone', 'Mobile'],
  ])('update-by %s uses %s', async (key, value, path, field) => {
    const r = await s.run(['update-by', key, value, '--first-name', 'Hen', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ action: 'updated', identifier: value, id: HENDRY.ID, server: { ID: HENDRY.ID, Message: 'Record updated' } });
    expect(r.wire.slice(1)).toEqual([{ method: 'PUT', path, query: [], status: 200, body: { FirstName: 'Hen', [field]: value } }]);
    expect(r.wire[0]).toMatchObject({ method: 'GET', status: 200 });
  });

  it('changes the key field itself through ByID (ByCode only finds by it)', async () => {
    const r = await s.run(['update-by', 'code', HENDRY.Code, '--code', 'HW-NEW']);
    expect(r.code).toBe(0);
    expect(r.wire.map((w) => `${w.method} ${w.path}`)).toEqual(['GET /api/v3/Customer/Detail', 'PUT /api/v3/Customer/ByID']);
    expect(r.wire[1]!.body).toEqual({ Code: 'HW-NEW', ID: HENDRY.ID });
    expect(s.find('HW-NEW')?.ID).toBe(HENDRY.ID);
  });

  it('reaches the server with an identifier full of reserved and non-ASCII characters unchanged', async () => {
    const r = await s.run(['update-by', 'email', ODD.Email, '--group', 'Odd']);
    expect(r.code).toBe(0);
    expect(r.wire[1]!.body).toEqual({ Group: 'Odd', Email: ODD.Email });
    const byCode = await s.run(['update-by', 'code', ODD.Code, '--code', 'plain']);
    expect(byCode.code).toBe(0);
    expect(byCode.wire[0]!.query).toEqual([['Code', ODD.Code]]);
    // One read: the history's before-image also gives the ID the key change needs.
    expect(byCode.wire.map((w) => w.method)).toEqual(['GET', 'PUT']);
    expect(s.find('plain')?.ID).toBe(ODD.ID);
  });

  it('exits 3 naming the identifier, 5 with the reason on a duplicate, 2 on a bad key or value', async () => {
    const nf = await s.run(['update-by', 'code', 'NOPE-1', '--group', 'X']);
    expect(nf.code).toBe(3);
    expect(nf.stderr).toBe("poscust: customer with Code 'NOPE-1' not found\n");
    const dup = await s.run(['update-by', 'id', HENDRY.ID, '--email', SITI.Email]);
    expect(dup.code).toBe(5);
    expect(dup.stderr).toBe(`poscust: Email ${SITI.Email} already exists.\n`);
    const badKey = await s.run(['update-by', 'phone', '0216892235', '--group', 'X']);
    expect(badKey.code).toBe(2);
    expect(badKey.stderr).toContain("'phone' is invalid for argument 'key'. Allowed choices are id, code, email, mobile; see poscust update-by --help");
    const badValue = await s.run(['update-by', 'code', HENDRY.Code, '--birthdate', '21/03/1994']);
    expect(badValue.code).toBe(2);
    const empty = await s.run(['update-by', 'code', HENDRY.Code]);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('nothing to change');
    expect([...badKey.wire, ...badValue.wire, ...empty.wire]).toEqual([]);
    expect(s.find(HENDRY.Code)).toMatchObject(HENDRY);
  });

  it('--dry-run prints method, URL and body, sends nothing that changes data, and exits 0', async () => {
    const r = await s.run(['update-by', 'code', ODD.Code, '--group', 'Gold', '--dry-run']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`PUT ${s.sb.baseUrl}/Customer/ByCode\n${JSON.stringify({ Group: 'Gold', Code: ODD.Code }, null, 2)}\n`);
    expect(r.wire).toEqual([]);
    expect(s.find(ODD.Code)?.Group).toBeNull();

    // Reads still go out (here: the ID for a key change); the write does not.
    const json = await s.run(['update-by', 'code', HENDRY.Code, '--code', 'HW2', '--dry-run', '--format', 'json']);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual({
      dryRun: true, method: 'PUT', url: `${s.sb.baseUrl}/Customer/ByID`, body: { Code: 'HW2', ID: HENDRY.ID },
    });
    expect(json.wire.map((w) => w.method)).toEqual(['GET']);
    expect(s.find(HENDRY.Code)).toBeDefined();
  });
});
