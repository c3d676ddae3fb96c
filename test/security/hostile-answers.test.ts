// Issue 10, item 10: an answer nested 100,000 levels deep is malformed, not a network failure:
// exit 1 at once, one request, no stack overflow (the redactor under --verbose included).
import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redactor } from '../../src/redact.js';
import { jsonNestedDeeperThan } from '../../src/util/json-depth.js';
import { dealposEnv, runCli, tempDir } from '../helpers/harness.js';

const DEEP = 100_000;
const deepArray = `${'['.repeat(DEEP)}${']'.repeat(DEEP)}`;
const deepObject = `${'{"a":'.repeat(DEEP)}1${'}'.repeat(DEEP)}`;
let server: Server;
let origin: string;
const seen: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    if (req.url?.endsWith('/Token/OAuth2')) {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ access_token: 'tok-abcdef-123456', expires_in: 3600 }));
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(req.url?.includes('Code=ARR') ? deepArray : deepObject);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('hostile answers', () => {
  it('refuses a 100,000-deep answer with exit 1 after one request, with and without --verbose', async () => {
    for (const [code, verbose] of [['ARR', false], ['OBJ', true]] as const) {
      seen.length = 0;
      const r = await runCli([...(verbose ? ['--verbose'] : []), 'get', '--code', code], { env: dealposEnv(`${origin}/api/v3`) });
      expect(r.code, r.stderr.slice(-500)).toBe(1);
      expect(r.stderr).toContain('nested more than 64 levels deep');
      expect(r.stderr).not.toContain('Maximum call stack');
      expect(r.stderr).not.toContain('unexpected error');
      expect(seen.filter((s) => s.includes('/Customer/Detail'))).toHaveLength(1);
    }
  });

  it('refuses a deep --from-json file with exit 2, and the redactor never recurses without end', async () => {
    const file = join(tempDir(), 'deep.json');
    writeFileSync(file, `{"Name": ${deepArray}}`);
    const r = await runCli(['create', '--from-json', file], { env: dealposEnv(`${origin}/api/v3`) });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('nested more than 64 levels deep');
    let deep: unknown = 1;
    for (let i = 0; i < DEEP; i++) deep = [deep];
    expect(() => JSON.stringify(new Redactor().redactValue(deep))).not.toThrow();
    expect(jsonNestedDeeperThan('{"a": "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["}')).toBe(false);
    expect(jsonNestedDeeperThan('[[[]]]', 2)).toBe(true);
  });
});
