// Issue 14: a PORTOS server whose validation errors name their constraint ("Unique", "Required")
// instead of the contract's numbers. A duplicate is still a conflict (exit 5), a missing name still
// a usage error (exit 2), with the server's own words; the import reports the same reasons.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCliSandbox, type CliSandbox } from '../../helpers/cli-sandbox.js';
import { tempDir } from '../../helpers/harness.js';

describe.each([[], ['portos-code-names']])('portos validation codes with dialects %j', (...dialects) => {
  let shop: CliSandbox;
  let dir: string;
  beforeAll(async () => {
    dir = tempDir('poscust-portos-dialect-');
    shop = await startCliSandbox('portos', { seed: 5, configDir: join(dir, 'config'), dialects });
  });
  afterAll(() => shop.sb.close());

  it('the sandbox answers the codes as the dialect says', async () => {
    const taken = (shop.sb.customers() as { externalId: string | null }[]).find((c) => c.externalId)!.externalId!;
    const r = await shop.run(['create', '--first-name', 'Jana', '--last-name', 'Dvojník', '--set', `externalId=${taken}`, '--verbose']);
    expect(r.result.code, r.result.stderr).toBe(5);
    expect(r.result.stderr).toMatch(/refused a duplicate: .*externalId/);
    expect(r.result.stderr).toContain(dialects.length ? '"code":"Unique"' : '"code":2');
  });

  it('a missing name is a usage error (exit 2) naming the member', async () => {
    const r = await shop.run(['create', '--set', 'note=nobody']);
    expect(r.result.code).toBe(2);
    expect(r.result.stderr).toMatch(/rejected the customer: .*lastName: lastName is required/);
  });

  it('the import rejects the duplicate row with the reason and creates the rest', async () => {
    const taken = (shop.sb.customers() as { externalId: string | null }[]).find((c) => c.externalId)!.externalId!;
    const file = join(dir, 'p.csv');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(file, `externalId,firstName,lastName\n${taken},Dup,Licát\nNEW-${dialects.length},Nová,Zákaznica\n`);
    const rejects = join(dir, 'r.csv');
    const r = await shop.run(['import', file, '--mode', 'create', '--rejects', rejects, '--format', 'json']);
    expect(r.result.code).toBe(7);
    expect(JSON.parse(r.result.stdout)).toMatchObject({ created: 1, rejected: 1 });
    expect(readFileSync(rejects, 'utf8')).toMatch(/refused a duplicate/);
  });
});
