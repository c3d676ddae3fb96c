// A verb only some backends have, as a command: it works where the backend has it, and is exit 6
// naming the backend, with no prompt and no request, where it has not.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BackendVerb } from '../../src/backends/types.js';
import { casesWith } from './backends.js';
import { startCliSandbox, type CliSandbox } from './cli-sandbox.js';

/** `prepare` runs first where the backend has the verb (pin check needs a PIN set). */
export function verbOnEveryBackend(verb: BackendVerb, argv: string[], options: { stdin?: string; prepare?: (shop: CliSandbox) => Promise<unknown> } = {}): void {
  const { have, lack } = casesWith(verb);

  describe.each(have)(`${argv.slice(0, 2).join(' ')} on $backend`, (c) => {
    let shop: CliSandbox;
    beforeAll(async () => {
      shop = await startCliSandbox(c.backend, { seed: 3 });
    });
    afterAll(() => shop.sb.close());
    it('works', async () => {
      await options.prepare?.(shop);
      const r = await shop.run(argv, options.stdin !== undefined ? { stdin: options.stdin } : {});
      expect(r.result.code, r.result.stderr).toBe(0);
      expect(r.sent.length).toBeGreaterThan(0);
    });
  });

  describe.each(lack)(`${argv.slice(0, 2).join(' ')} on $backend`, (c) => {
    it('exits 6 naming the backend, with no prompt and no request', async () => {
      const shop = await startCliSandbox(c.backend, { seed: 1 });
      try {
        const r = await shop.run(argv, options.stdin !== undefined ? { stdin: options.stdin } : {});
        expect(r.result.code, r.result.stderr).toBe(6);
        expect(r.result.stderr).toContain(`is unsupported on ${c.backend}`);
        expect(r.sent).toHaveLength(0);
      } finally {
        await shop.sb.close();
      }
    });
  });
}
