// pin set / pin check in-process against an in-process sandbox: the PIN from stdin or a hidden
// prompt, checked locally, and never in --verbose output or error messages.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSandboxRun, type SandboxRun } from '../helpers/sandbox-run.js';
import { verbOnEveryBackend } from '../helpers/verb-cases.js';
import { ALL, HENDRY, SITI } from '../helpers/customers.js';

const PIN = '482916';

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

async function setPin(pin = PIN) {
  const r = await s.run(['pin', 'set', '--code', HENDRY.Code, '--pin-stdin'], { stdin: `${pin}\n` });
  expect(r.code).toBe(0);
}

describe('pin set', () => {
  it('reads the PIN from stdin, resolves the code and sends {ID, PIN}; --verbose never shows the PIN', async () => {
    const r = await s.run(['--verbose', 'pin', 'set', '--code', HENDRY.Code, '--pin-stdin'], { stdin: `${PIN}\n` });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`PIN set ${HENDRY.Code}\n`);
    expect(r.wire).toEqual([
      { method: 'GET', path: '/api/v3/Customer/Detail', query: [['Code', HENDRY.Code]], body: null, status: 200 },
      { method: 'PUT', path: '/api/v3/Customer/PIN', query: [], body: { ID: HENDRY.ID, PIN: '[redacted]' }, status: 200 },
    ]);
    expect(r.stderr).toContain('> PUT http://127.0.0.1');
    expect(r.stderr).toContain('"PIN":"[redacted]"');
    expect(r.stderr).not.toContain(PIN);
  });

  it('asks twice on a terminal (hidden), and a mismatch changes nothing (exit 2)', async () => {
    const asked: string[] = [];
    const answers = [PIN, PIN];
    const r = await s.run(['pin', 'set', '--id', HENDRY.ID], {
      tty: true,
      prompter: { password: async (q) => (asked.push(q), answers.shift()!) },
    });
    expect(r.code).toBe(0);
    expect(asked).toEqual(['PIN:', 'PIN again:']);
    expect(r.wire).toEqual([{ method: 'PUT', path: '/api/v3/Customer/PIN', query: [], body: { ID: HENDRY.ID, PIN: '[redacted]' }, status: 200 }]);

    const mismatch = ['1111', '2222'];
    const bad = await s.run(['pin', 'set', '--id', HENDRY.ID], {
      tty: true,
      env: { NO_COLOR: '1' },
      prompter: { password: async () => mismatch.shift()! },
    });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('poscust: the two PINs differ; nothing was changed\n');
    expect(bad.wire).toEqual([]);
  });

  it.each(['123', '1234567', '12a4', '', ' '])('rejects %j locally with exit 2 before any request, without echoing it', async (pin) => {
    const before = s.sb.stats().requests;
    const r = await s.run(['pin', 'set', '--code', HENDRY.Code, '--pin-stdin'], { stdin: `${pin}\n` });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^poscust: (the PIN must be 4 to 6 digits|--pin-stdin was given but stdin was empty)\n$/);
    expect(s.sb.stats().requests).toBe(before);
  });

  it('never takes the PIN from argv, and needs --pin-stdin without a terminal (exit 2, nothing sent)', async () => {
    const before = s.sb.stats().requests;
    for (const args of [['--pin', '9371'], ['--pin=9371']]) {
      const r = await s.run(['pin', 'set', '--code', HENDRY.Code, ...args]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('the PIN is never taken from the command line');
      expect(r.stderr).not.toContain('9371');
    }
    const positional = await s.run(['pin', 'check', '--code', HENDRY.Code, '9371']);
    expect(positional.code).toBe(2);
    expect(positional.stderr).not.toContain('9371');
    const noTty = await s.run(['pin', 'check', '--code', HENDRY.Code]);
    expect(noTty.code).toBe(2);
    expect(noTty.stderr).toContain('pipe it in with --pin-stdin');
    expect(s.sb.stats().requests).toBe(before);
  });

  it('exits 3 for an unknown customer, with no PIN in the message', async () => {
    const r = await s.run(['--verbose', 'pin', 'set', '--code', 'NOPE-1', '--pin-stdin'], { stdin: PIN });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain("customer with Code 'NOPE-1' not found");
    expect(r.stderr).not.toContain(PIN);
  });
});

describe('pin check', () => {
  it('exits 0 for the right PIN and 8 for a wrong one; neither PIN shows in --verbose or the error', async () => {
    await setPin();
    const ok = await s.run(['--verbose', 'pin', 'check', '--code', HENDRY.Code, '--pin-stdin'], { stdin: PIN });
    expect(ok.code).toBe(0);
    expect(ok.stdout).toBe(`PIN valid ${HENDRY.Code}\n`);
    expect(ok.wire.at(-1)).toEqual({ method: 'POST', path: '/api/v3/Customer/PIN/Authenticate', query: [], body: { ID: HENDRY.ID, PIN: '[redacted]' }, status: 200 });
    expect(ok.stderr).not.toContain(PIN);

    const wrong = '482917';
    const bad = await s.run(['--verbose', 'pin', 'check', '--id', HENDRY.ID, '--pin-stdin'], { stdin: wrong });
    expect(bad.code).toBe(8);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toContain(`poscust: PIN rejected for customer with ID '${HENDRY.ID}'`);
    expect(bad.stderr).not.toContain(wrong);
    const json = await s.run(['pin', 'check', '--id', HENDRY.ID, '--pin-stdin', '--json'], { stdin: wrong });
    expect(json.code).toBe(8);
    expect(JSON.parse(json.stderr).error).toMatchObject({ code: 8, kind: 'pin_rejected' });
  });

  it('reads the PIN from a hidden prompt on a terminal; prints the answer with --format json', async () => {
    await setPin();
    const r = await s.run(['pin', 'check', '--code', HENDRY.Code, '--format', 'json'], {
      tty: true,
      prompter: { password: async () => PIN },
    });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ action: 'pin-valid', identifier: HENDRY.Code, id: null, code: HENDRY.Code, server: { Authenticated: true } });
  });

  it('exits 8 with the reason when the customer has no PIN yet', async () => {
    const r = await s.run(['pin', 'check', '--code', SITI.Code, '--pin-stdin'], { stdin: '1234' });
    expect(r.code).toBe(8);
    expect(r.stderr).toBe('poscust: PIN rejected: No PIN has been set for this customer.\n');
  });
});

// The same on every backend: pin set and check work where the backend has PINs, exit 6 where not.
verbOnEveryBackend('setPin', ['pin', 'set', '--code', 'C-00001', '--pin-stdin'], { stdin: '482916\n' });
verbOnEveryBackend('checkPin', ['pin', 'check', '--code', 'C-00001', '--pin-stdin'], {
  stdin: '482916\n',
  prepare: (shop) => shop.run(['pin', 'set', '--code', 'C-00001', '--pin-stdin'], { stdin: '482916\n' }),
});
