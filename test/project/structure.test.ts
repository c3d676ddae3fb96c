// The shape of the house, held against the code: no import cycles (type-only imports included),
// no file over 350 lines, vendor names only in the vendor folders and the two registries, the
// emulator behind its one door, and a core that never loads the terminal libraries.
//
// Cycles are found here with a small graph walk over the imports rather than with madge: madge 8
// requires TypeScript 5's JavaScript API as a peer, and this project builds with TypeScript 7,
// which has none.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BACKENDS } from '../../src/backends/registry.js';
import { SANDBOX_BACKENDS } from '../../src/sandbox/index.js';

const ROOT = join(import.meta.dirname, '..', '..');
const SRC = join(ROOT, 'src');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith('.ts') && !path.endsWith('.d.ts') ? [path] : [];
  });
}

const SOURCES = files(SRC);
const rel = (path: string) => relative(ROOT, path);

/** Every module a file imports (static, dynamic, type-only, re-exports), as source paths. */
function importsOf(file: string): { spec: string; path: string | null }[] {
  const text = readFileSync(file, 'utf8');
  const specs = [...text.matchAll(/(?:import|export)\s+(?:type\s+)?(?:[^'";]*?\sfrom\s+)?'([^']+)'|import\(\s*'([^']+)'\s*\)/g)].map((m) => m[1] ?? m[2]!);
  return specs.map((spec) => ({ spec, path: spec.startsWith('.') ? resolve(dirname(file), spec.replace(/\.js$/, '.ts')) : null }));
}

const GRAPH = new Map(SOURCES.map((f) => [f, importsOf(f).flatMap((i) => (i.path && SOURCES.includes(i.path) ? [i.path] : []))]));

/** Strongly connected components with more than one file, or a file importing itself (Tarjan). */
function cycles(): string[][] {
  let index = 0;
  const indexOf = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string) => {
    indexOf.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const w of GRAPH.get(v) ?? []) {
      if (!indexOf.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, indexOf.get(w)!));
      }
    }
    if (low.get(v) === indexOf.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || (GRAPH.get(v) ?? []).includes(v)) found.push(component.map(rel).sort());
    }
  };
  for (const v of GRAPH.keys()) if (!indexOf.has(v)) visit(v);
  return found;
}

describe('the structure', () => {
  it('has no import cycles, type-only imports included', () => {
    expect(GRAPH.size).toBeGreaterThan(100);
    expect(cycles()).toEqual([]);
  });

  it('finds a cycle when there is one (the checker itself works)', () => {
    const saved = new Map(GRAPH);
    const [a, b] = [SOURCES[0]!, SOURCES[1]!];
    GRAPH.set(a, [...(GRAPH.get(a) ?? []), b]);
    GRAPH.set(b, [...(GRAPH.get(b) ?? []), a]);
    try {
      expect(cycles().length).toBeGreaterThan(0);
    } finally {
      for (const [k, v] of saved) GRAPH.set(k, v);
    }
  });

  it('has no file in src/ over 350 lines', () => {
    const long = SOURCES.map((f) => [rel(f), readFileSync(f, 'utf8').split('\n').length] as const).filter(([, n]) => n > 350);
    expect(long).toEqual([]);
  });

  it('names a vendor as a quoted identifier only in its folders and the two registries', () => {
    const allowed = (f: string) =>
      /^src\/(backends|sandbox)\/(dealpos|mypos|portos)\//.test(f) || f === 'src/backends/registry.ts' || f === 'src/sandbox/emulators.ts';
    const offenders = SOURCES.map(rel)
      .filter((f) => !allowed(f))
      .filter((f) => /['"`](dealpos|mypos|portos)['"`]/.test(readFileSync(join(ROOT, f), 'utf8')));
    expect(offenders).toEqual([]);
  });

  it('keeps the emulator behind its one door, and the emulator free of the product', () => {
    const sandbox = join(SRC, 'sandbox');
    for (const file of SOURCES) {
      for (const { spec, path } of importsOf(file)) {
        if (!path) continue;
        const inSandbox = file.startsWith(`${sandbox}/`);
        const toSandbox = path.startsWith(`${sandbox}/`);
        if (inSandbox) expect(toSandbox, `${rel(file)} imports ${spec}`).toBe(true);
        else if (toSandbox) expect(rel(path), `${rel(file)} imports ${spec}`).toBe('src/sandbox/index.ts');
      }
    }
    expect([...SANDBOX_BACKENDS].sort()).toEqual([...BACKENDS].sort());
  });

  it('keeps the core free of the terminal libraries', () => {
    const core = ['backends', 'http', 'import', 'export', 'config', 'auth', 'output', 'net', 'util', 'sandbox'];
    for (const file of SOURCES.filter((f) => core.some((c) => rel(f).startsWith(`src/${c}/`)))) {
      for (const { spec } of importsOf(file)) {
        expect(['commander', 'chalk', '@inquirer/prompts'], `${rel(file)} imports ${spec}`).not.toContain(spec);
        expect(spec, rel(file)).not.toMatch(/\/(commands|ui)\/|\/context\.js$|\/app\.js$/);
      }
    }
  });
});
