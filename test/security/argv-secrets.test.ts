// Issue 10, item 7: a secret typed as an option is never repeated in the usage error (nor anywhere
// else the run prints); the error says where the secret goes instead.
import { describe, expect, it } from 'vitest';
import { secretArgValues } from '../../src/commands/secret-args.js';
import { dealposEnv, runCli } from '../helpers/harness.js';

describe('secret-looking unknown options', () => {
  const cases: [string[], string, RegExp][] = [
    [['profile', 'add', 'shop', '--backend', 'dealpos', '--base-url', 'shop', '--client-id', 'c1', '--client-secret=Hunter2-Secret'], 'Hunter2-Secret', /--client-secret-stdin or POSCUST_CLIENT_SECRET/],
    [['count', '--password=Pa55word-x'], 'Pa55word-x', /--password-stdin or POSCUST_PASSWORD/],
    [['count', '--token=tok-123456789'], 'tok-123456789', /POSCUST_TOKEN/],
    [['--token', 'tok-987654321', 'count'], 'tok-987654321', /POSCUST_TOKEN/],
    [['pin', 'check', '--code', 'X', '--pin=482913'], '482913', /--pin-stdin/],
  ];
  for (const [argv, secret, advice] of cases) {
    it(`never echoes the value of ${argv.find((a) => a.startsWith('--') && /secret|password|token|pin=/.test(a))}`, async () => {
      for (const format of [[], ['--format', 'json']]) {
        const r = await runCli([...format, ...argv], { env: dealposEnv() });
        expect(r.code).toBe(2);
        expect(r.stderr).not.toContain(secret);
        expect(r.stdout).not.toContain(secret);
        expect(r.stderr).toMatch(advice);
        expect(r.stderr).toMatch(/never put a secret on the command line|never taken from the command line/);
      }
    });
  }

  it('leaves options that only look alike alone (--token-ttl, --password-stdin)', () => {
    expect(secretArgValues(['sandbox', '--token-ttl', '3600', '--password-stdin', 'x'])).toEqual([]);
    expect(secretArgValues(['--client-secret', 's3cret-value', '--PIN=1234'])).toEqual(['s3cret-value', '1234']);
  });
});
