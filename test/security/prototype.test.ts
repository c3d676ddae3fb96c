// Issue 10, item 1: a hostile CSV cell, `--set` or `--from-json` must never reach Object.prototype.
// A PORTOS `meta` cell `{"__proto__.ca": ...}` once made every later connection trust that CA and
// `{"__proto__.headers": ...}` added headers to every later request.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { deepMerge, expandDotted } from '../../src/backends/nested.js';
import { project, valueAt } from '../../src/output/cells.js';
import { importShop } from '../import/helpers.js';

const PEM = '-----BEGIN CERTIFICATE-----\nMIIBevil\n-----END CERTIFICATE-----';
const proto = Object.prototype as Record<string, unknown>;

afterEach(() => {
  // Were the attack to work, it must not spill into the next test.
  for (const k of ['ca', 'headers', 'polluted', 'rejectUnauthorized']) delete proto[k];
});

describe('prototype pollution through dotted keys', () => {
  it('stores a PORTOS meta cell with __proto__ keys exactly as written, and touches no later request', async () => {
    const s = await importShop({ backend: 'portos', seed: 0, closeGraceMs: 0 }, 'poscust-proto-');
    const meta = { '__proto__.ca': PEM, '__proto__.headers': { 'x-evil': '1' }, 'a.b': 2 };
    const cell = JSON.stringify(meta).replace(/"/g, '""');
    const file = s.file('hostile.csv', `externalId,lastName,meta\nE-1,Novák,"${cell}"\nE-2,Malá,\n`);
    const r = await s.run(['import', file, '--key', 'externalId', '--format', 'json', '--concurrency', '1']);
    expect(r.code, r.stderr).toBe(0);
    expect(proto.ca).toBeUndefined();
    expect(proto.headers).toBeUndefined();
    expect(({} as Record<string, unknown>).ca).toBeUndefined();
    const stored = (s.sb.customers() as { externalId: string; meta: unknown }[]).find((c) => c.externalId === 'E-1');
    expect(stored?.meta).toEqual(meta);
    const creates = s.sb.requests.filter((q) => q.method === 'POST' && q.path === '/customers');
    expect(creates).toHaveLength(2);
    for (const q of creates) expect(q.headers['x-evil']).toBeUndefined();
  });

  it('never expands or walks into a JSON value, and refuses forbidden segments in names', () => {
    const value = JSON.parse('{"__proto__": {"polluted": 1}, "constructor.prototype.polluted": 2}') as Record<string, unknown>;
    const out = expandDotted({ meta: value, 'address.city': 'Nitra' });
    expect(proto.polluted).toBeUndefined();
    expect(JSON.stringify(out.meta)).toBe(JSON.stringify(value));
    for (const name of ['__proto__.polluted', 'address.constructor', 'prototype', 'a.__proto__.b']) {
      expect(() => expandDotted({ [name]: 1 }), name).toThrow(/never the name of a field|is not a field name/);
    }
    const merged = deepMerge({ meta: { a: 1 } }, JSON.parse('{"__proto__": {"polluted": 1}, "meta": {"b": 2}}') as Record<string, unknown>, new Set(['meta']));
    expect(proto.polluted).toBeUndefined();
    expect(Object.getPrototypeOf(merged)).toBe(Object.prototype);
    expect(merged.meta).toEqual({ b: 2 });
    expect(Object.hasOwn(merged, '__proto__')).toBe(true);
    // Output projection of a record a hostile server sent.
    const record = JSON.parse('{"__proto__": {"polluted": 3}, "a": {"b": 1}}') as Record<string, unknown>;
    expect(valueAt(record, '__proto__.polluted')).toBe(3);
    project(record, ['__proto__.polluted', 'constructor.polluted']);
    expect(proto.polluted).toBeUndefined();
  });
});

describe('forbidden names on every input path', () => {
  it('refuses them in --set, --from-json, CSV headers and --map, exit 2 before any request', async () => {
    const s = await importShop({ backend: 'portos', seed: 0, closeGraceMs: 0 }, 'poscust-proto-');
    const before = s.sb.requests.length;
    const set = await s.run(['create', '--last-name', 'X', '--set', '__proto__.polluted=1']);
    expect(set.code).toBe(2);
    expect(set.stderr).toContain("'__proto__' is never the name of a field");
    const json = s.file('f.json', '{"lastName": "X", "constructor": {"prototype": {"polluted": 1}}}');
    const fromJson = await s.run(['create', '--from-json', json]);
    expect(fromJson.code).toBe(2);
    expect(fromJson.stderr).toContain("'constructor' is never the name of a field");
    const header = await s.run(['import', s.file('h.csv', 'lastName,__proto__.polluted\nX,1\n')]);
    expect(header.code).toBe(2);
    expect(header.stderr).toContain("'__proto__' is never the name of a field");
    const map = await s.run(['import', s.file('m.csv', 'lastName,x\nX,1\n'), '--map', 'x=prototype']);
    expect(map.code).toBe(2);
    expect(map.stderr).toContain("'prototype' is never the name of a field");
    expect(proto.polluted).toBeUndefined();
    expect(s.sb.requests.filter((q) => !q.path.startsWith('/api/auth')).length - before).toBe(0);
    expect(readFileSync(join(s.dir, 'h.csv'), 'utf8')).toContain('__proto__');
  });
});

describe('Object.prototype in the running CLI', () => {
  it('is frozen: nothing can be added, changed or removed, whatever the path', async () => {
    const { buildSync } = await import('esbuild');
    const { spawnSync } = await import('node:child_process');
    const own = buildSync({ entryPoints: ['src/util/own.ts'], bundle: true, format: 'cjs', platform: 'node', write: false }).outputFiles[0]!.text;
    const check = `
      'use strict';
      const m = { exports: {} };
      new Function('module', 'exports', ${JSON.stringify(own)})(m, m.exports);
      m.exports.freezeObjectPrototype();
      const tries = {
        add: () => { ({}).__proto__.polluted = 1; },
        change: () => { Object.prototype.toString = () => 'x'; },
        remove: () => { delete Object.prototype.hasOwnProperty; },
        define: () => Object.defineProperty(Object.prototype, 'ca', { value: 'evil' }),
      };
      const refused = Object.entries(tries).filter(([, f]) => { try { f(); return false; } catch { return true; } }).map(([k]) => k);
      console.log(JSON.stringify({ frozen: Object.isFrozen(Object.prototype), refused, clean: !('polluted' in {}) }));`;
    const r = spawnSync(process.execPath, ['-e', check], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ frozen: true, refused: ['add', 'change', 'remove', 'define'], clean: true });
  });
});
