// The PORTOS adapter against the real sandbox over HTTP, with another client changing the record
// between our read and our write: the version check must catch it, and the retry must keep both
// changes.
import { afterEach, describe, expect, it } from 'vitest';
import { Agent, Dispatcher } from 'undici';
import type { PoscustError } from '../../../src/errors.js';
import { startSandbox, type RunningSandbox } from '../../../src/sandbox/index.js';
import { sandboxEnv } from '../../helpers/cli-sandbox.js';
import { openPortos } from '../../helpers/portos.js';

let sb: RunningSandbox | undefined;
let agent: Agent | undefined;
afterEach(async () => {
  await agent?.close();
  await sb?.close();
  agent = sb = undefined;
});

/** Runs `before` (awaited) ahead of each request it returns a promise for, then sends the request. */
class Interposer extends Dispatcher {
  constructor(
    private readonly inner: Dispatcher,
    private readonly before: (options: Dispatcher.DispatchOptions) => Promise<void> | undefined,
  ) {
    super();
  }
  override dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
    const wait = this.before(options);
    if (!wait) return this.inner.dispatch(options, handler);
    void wait.then(() => this.inner.dispatch(options, handler));
    return true;
  }
}

async function otherClient(sandbox: RunningSandbox) {
  const login = await fetch(`${sandbox.origin}/api/auth`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ UserName: 'admin', Password: 'sandbox-password', DeviceName: 'sandbox-till' }),
  });
  const { tokenId } = (await login.json()) as { tokenId: string };
  const headers = { authorization: `Bearer ${tokenId}`, 'content-type': 'application/json' };
  return {
    /** Reads the customer and writes it back with `change` applied, like a till would. */
    async change(id: string, change: Record<string, unknown>): Promise<void> {
      const current = (await (await fetch(`${sandbox.origin}/customers/${id}`, { headers })).json()) as Record<string, unknown>;
      const res = await fetch(`${sandbox.origin}/customers/${id}`, { method: 'PUT', headers, body: JSON.stringify({ ...current, ...change }) });
      if (res.status !== 200) throw new Error(`other client: ${res.status} ${await res.text()}`);
    },
  };
}

/** The sandbox's environment, logged in as `user` rather than the admin. */
function sandboxEnvAs(sandbox: RunningSandbox, user: string, password: string): Record<string, string> {
  return { ...sandboxEnv(sandbox), POSCUST_USERNAME: user, POSCUST_PASSWORD: password };
}

async function setup(interfere: (n: number) => boolean) {
  sb = await startSandbox({ backend: 'portos', port: 0, seed: 3 });
  const target = (sb.customers() as { id: string; _v: number }[])[1]!;
  const other = await otherClient(sb);
  agent = new Agent();
  let puts = 0;
  const dispatcher = new Interposer(agent, (o) => {
    if (o.method !== 'PUT') return undefined;
    puts++;
    return interfere(puts) ? other.change(target.id, { phone: `+421 900 00${puts}` }) : undefined;
  });
  const opened = await openPortos({ dispatcher, env: sandboxEnv(sb) });
  return { ...opened, target, sandbox: sb };
}

describe('PORTOS adapter against the sandbox', () => {
  it('re-reads and re-applies after a concurrent change between read and write, keeping both changes', async () => {
    const { backend, target, sandbox } = await setup((n) => n === 1);
    const result = await backend.update({ by: 'id', value: target.id }, { 'address.city': 'Bratislava', note: 'moved' });
    expect(result.record).toMatchObject({ phone: '+421 900 001', note: 'moved', _v: 3 });
    expect((result.record as { address: { city: string; street: string } }).address.city).toBe('Bratislava');
    const stored = (sandbox.customers() as Record<string, unknown>[]).find((c) => c.id === target.id)!;
    expect(stored).toMatchObject({ phone: '+421 900 001', note: 'moved', address: { city: 'Bratislava' }, _v: 3 });
    // Ours: read v1; the other client: read v1, write v2; ours: PUT v1 refused, read v2, PUT v2.
    const onTarget = sandbox.requests.filter((r) => r.path === `/customers/${target.id}`);
    expect(onTarget.map((r) => `${r.method} ${r.status} ${String((r.body as { _v?: number } | null)?._v ?? '')}`.trim())).toEqual([
      'GET 200', 'GET 200', 'PUT 200 1', 'PUT 400 1', 'GET 200', 'PUT 200 2',
    ]);
  });

  it('gives up with exit 5 when the record changes again before the retry lands', async () => {
    const { backend, target, sandbox } = await setup(() => true);
    let err: PoscustError | undefined;
    try {
      await backend.setSuspended({ by: 'id', value: target.id }, true);
    } catch (e) {
      err = e as PoscustError;
    }
    expect(err?.exitCode).toBe(5);
    expect(err?.message).toMatch(/changed by someone else while we updated it, twice in a row \(we last read version 2; the server now has version 3\)/);
    const stored = (sandbox.customers() as Record<string, unknown>[]).find((c) => c.id === target.id)!;
    // Only the other client's two changes landed; our suspension did not.
    expect(stored).toMatchObject({ isActive: true, phone: '+421 900 002', _v: 3 });
  });

  it('names the right a restricted user lacks (exit 4), and lists server validation problems (exit 2)', async () => {
    sb = await startSandbox({ backend: 'portos', port: 0, seed: 2 });
    agent = new Agent();
    const target = (sb.customers() as { id: string }[])[0]!;
    const { backend } = await openPortos({ dispatcher: agent, env: sandboxEnvAs(sb, 'cashier', 'cashier-password') });
    const denied = await backend.update({ by: 'id', value: target.id }, { discountRate: 33 }).catch((e: PoscustError) => e);
    expect((denied as PoscustError).exitCode).toBe(4);
    expect((denied as PoscustError).message).toBe(
      `permission denied by ${new URL(sb.origin).host} (403: the user lacks the CustomerSetDiscount right — Forbidden: User 'cashier' does not have the CustomerSetDiscount right to change discountRate.)`,
    );
    const invalid = await backend.create({ email: 'nope', 'credit.amount': 'x' }).catch((e: PoscustError) => e);
    expect((invalid as PoscustError).exitCode).toBe(2);
    expect((invalid as PoscustError).message).toBe(
      `${new URL(sb.origin).host} rejected the customer: Validation failed: One or more validation errors occurred. — ` +
        "credit.amount: credit.amount must be a number.; email: email 'nope' is not an e-mail address.; lastName: lastName is required (or firstName, or company.name for a company).",
    );
  });
});
