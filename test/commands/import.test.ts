// `poscust import` on every backend, from the command line: new customers created, a second run no
// change, bad rows in the rejects file (exit 7). The job's own edges are in test/import/.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKEND_CASES } from '../helpers/backends.js';
import { startCliSandbox, type CliSandbox } from '../helpers/cli-sandbox.js';
import { tempDir } from '../helpers/harness.js';

const FILES: Record<string, { key: string; csv: string; bad: string }> = {
  dealpos: { key: 'code', csv: 'Code,Name,Email\nI-1,Ika,ika@contoh.co.id\nI-2,Iwan,iwan@contoh.co.id\n', bad: 'I-3,Ina,not-an-email' },
  mypos: { key: 'code', csv: 'customerCode,firstName,lastName,emailAddress\n,Ika,Sari,ika@contoh.co.id\n,Iwan,Budi,iwan@contoh.co.id\n', bad: ',Ina,Dewi,not-an-email' },
  portos: { key: 'externalId', csv: 'externalId,firstName,lastName,email\nI-1,Ika,Sari,ika@contoh.sk\nI-2,Iwan,Budi,iwan@contoh.sk\n', bad: 'I-3,Ina,Dewi,not-an-email' },
};

describe.each(BACKEND_CASES)('import on $backend', (c) => {
  let shop: CliSandbox;
  beforeAll(async () => {
    shop = await startCliSandbox(c.backend, { seed: 3 });
  });
  afterAll(() => shop.sb.close());

  it('creates the new customers, rejects a bad row (exit 7), and a second run of the good rows changes nothing', async () => {
    const f = FILES[c.backend]!;
    const dir = tempDir();
    const file = join(dir, 'in.csv');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(file, `${f.csv}${f.bad}\n`);
    const r = await shop.run(['import', file, '--key', f.key, '--format', 'json']);
    expect(r.result.code, r.result.stderr).toBe(7);
    expect(JSON.parse(r.result.stdout)).toMatchObject({ created: 2, rejected: 1 });
    expect(readFileSync(join(dir, 'in.rejects.csv'), 'utf8')).toContain('not-an-email');
    expect(shop.sb.customers()).toHaveLength(5);
    if (c.backend !== 'mypos') {
      // MYPOS assigns the codes: an upsert of rows without one would create them again.
      writeFileSync(file, f.csv);
      const again = await shop.run(['import', file, '--key', f.key, '--format', 'json']);
      expect(again.result.code, again.result.stderr).toBe(0);
      expect(JSON.parse(again.result.stdout)).toMatchObject({ created: 0, updated: 0, unchanged: 2 });
    }
  });
});
