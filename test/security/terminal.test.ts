// Issue 10, item 5: customer data and server messages never run as terminal escape sequences.
// Table output, notices, confirmations and error lines show control characters as \xNN; JSON,
// NDJSON and CSV keep the data exact.
import { afterEach, describe, expect, it } from 'vitest';
import { forTerminal } from '../../src/output/terminal.js';
import { startCliSandbox, type CliSandbox } from '../helpers/cli-sandbox.js';
import { HENDRY } from '../helpers/customers.js';

const CLEAR = '\u001b[2J';
const TITLE = '\u001b]0;pwned\u0007';
const C1 = '\u009b31m';
const HOSTILE = `Eve${CLEAR}${TITLE}${C1}\rMallory`;

let shop: CliSandbox | undefined;
afterEach(async () => {
  await shop?.sb.close();
  shop = undefined;
});

/** No raw control character but the line breaks between lines. */
function expectNoControls(text: string): void {
  expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
}

describe('escape sequences from server data', () => {
  it('shows them escaped in table output (list and get), exact in JSON and CSV', async () => {
    shop = await startCliSandbox('dealpos');
    await shop.reset([{ ...HENDRY, Name: HOSTILE }]);
    const list = await shop.run(['list']);
    expect(list.result.code, list.result.stderr).toBe(0);
    expectNoControls(list.result.stdout);
    expect(list.result.stdout).toContain('Eve\\x1b[2J\\x1b]0;pwned\\x07\\x9b31m Mallory');
    const get = await shop.run(['get', '--code', HENDRY.Code]);
    expectNoControls(get.result.stdout);
    expect(get.result.stdout).toContain('\\x1b[2J');

    const json = await shop.run(['get', '--code', HENDRY.Code, '--format', 'json']);
    expect((JSON.parse(json.result.stdout) as { Name: string }).Name).toBe(HOSTILE);
    const csv = await shop.run(['list', '--format', 'csv', '--fields', 'Name']);
    expect(csv.result.stdout).toContain(HOSTILE);
  });

  it('keeps an error line one line, with the server\'s escapes shown, not run', async () => {
    shop = await startCliSandbox('dealpos');
    await shop.reset([{ ...HENDRY, Code: `X${CLEAR}` }]);
    const r = await shop.run(['create', '--name', 'Other', '--code', `X${CLEAR}`]);
    expect(r.result.code).toBe(5);
    expectNoControls(r.result.stderr);
    expect(r.result.stderr).toBe('poscust: Code X\\x1b[2J already exists.\n');
    // A value with a line break stays on one error line.
    const nl = await shop.run(['get', '--code', 'NO\nSUCH']);
    expect(nl.result.code).toBe(3);
    expect(nl.result.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(nl.result.stderr).toContain("'NO\\nSUCH'");
    // Under --format json the message is exact (JSON escapes it itself).
    const json = await shop.run(['create', '--name', 'Other', '--code', `X${CLEAR}`, '--format', 'json']);
    expect((JSON.parse(json.result.stderr) as { error: { message: string } }).error.message).toBe(`Code X${CLEAR} already exists.`);
  });

  it('shows a hostile name escaped in a confirmation and in a write command\'s line', async () => {
    shop = await startCliSandbox('dealpos');
    await shop.reset([{ ...HENDRY, Name: HOSTILE }]);
    let asked = '';
    const r = await shop.run(['delete', '--code', HENDRY.Code], {
      tty: true,
      prompter: {
        confirm: async (q: string) => {
          asked = q;
          return true;
        },
      },
    });
    expect(r.result.code, r.result.stderr).toBe(0);
    expectNoControls(asked);
    expect(asked).toContain('Eve\\x1b[2J');
    expectNoControls(r.result.stdout);
  });

  it('escapes every C0 and C1 control and DEL', () => {
    expect(forTerminal('a\u0000b\u007fc\u0085d\u00a0e')).toBe('a\\x00b\\x7fc\\x85d\u00a0e');
    expect(forTerminal('one\ntwo\tthree\r')).toBe('one\\ntwo\\tthree\\r');
    expect(forTerminal('one\ntwo\u001b', { keepNewlines: true })).toBe('one\ntwo\\x1b');
  });
});
