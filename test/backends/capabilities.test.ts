// Capabilities are declared once per adapter (`verbs`), and what is declared is what is there: a
// declared verb is the adapter's own method, an undeclared one answers "unsupported" (exit 6), and
// `requireVerb` says so before a command prompts or spends a request.
import { describe, expect, it } from 'vitest';
import { BackendBase } from '../../src/backends/base.js';
import { requireVerb } from '../../src/backends/capabilities.js';
import { VENDORS } from '../../src/backends/registry.js';
import { BACKEND_VERBS, type CustomerBackend } from '../../src/backends/types.js';
import { UnsupportedError } from '../../src/errors.js';
import type { HttpClient } from '../../src/http/client.js';

async function adapters(): Promise<CustomerBackend[]> {
  const http = { host: 'shop.test' } as HttpClient;
  return Promise.all(VENDORS.map(async (v) => (await v.load()).createBackend(http, {})));
}

describe('declared capabilities', () => {
  it('every declared verb is the adapter\'s own method, every other one answers unsupported (exit 6)', async () => {
    for (const backend of await adapters()) {
      for (const verb of BACKEND_VERBS) {
        const own = (backend as unknown as Record<string, unknown>)[verb] !== (BackendBase.prototype as unknown as Record<string, unknown>)[verb];
        expect(own, `${backend.name}.${verb}`).toBe(backend.verbs.has(verb));
        if (!backend.verbs.has(verb)) {
          expect(() => requireVerb(backend, verb), `${backend.name}.${verb}`).toThrow(UnsupportedError);
          const call = (backend as unknown as Record<string, (...a: unknown[]) => unknown>)[verb]!.bind(backend);
          expect(() => call({ by: 'id', value: 'x' }, 'x', true), `${backend.name}.${verb}`).toThrow(UnsupportedError);
        } else {
          expect(() => requireVerb(backend, verb)).not.toThrow();
        }
      }
    }
  });

  it('says why, where the adapter knows', async () => {
    const mypos = (await adapters()).find((b) => b.name === 'mypos')!;
    expect(() => requireVerb(mypos, 'newCode')).toThrow('new-code is unsupported on mypos (MYPOS assigns customer codes itself when a customer is created)');
  });
});
