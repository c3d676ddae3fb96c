// Spreadsheet formula guard (contract, "Output"): a CSV cell whose first non-blank character is =,
// +, -, @ (or their full-width forms ＝ ＋ － ＠, which spreadsheets also read as formulas), tab or
// CR, and that is not a plain number, gets a leading apostrophe, so a spreadsheet shows it as text
// instead of running it. Leading blanks do not hide a formula: spreadsheets skip spaces, NBSP and
// line breaks before the `=`. `import` takes the guard off again, so export-then-import
// round-trips exactly. A value that already starts with apostrophes before such a character gets
// one more, so that it too survives the round trip unchanged.

const TRIGGER = /^'*\s*[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;
const PLAIN_NUMBER = /^\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*$/;

function needsGuard(value: string): boolean {
  return TRIGGER.test(value) && !PLAIN_NUMBER.test(value);
}

export function guardCell(value: string): string {
  return needsGuard(value) ? `'${value}` : value;
}

export function unguardCell(value: string): string {
  return value.startsWith("'") && needsGuard(value.slice(1)) ? value.slice(1) : value;
}
