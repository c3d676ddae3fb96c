// Spreadsheet formula guard (contract, "Output"): a CSV cell that starts with =, +, -, @, tab or CR
// and is not a plain number gets a leading apostrophe, so a spreadsheet shows it as text instead of
// running it. `import` takes the guard off again, so export-then-import round-trips exactly. A value
// that already starts with apostrophes before such a character gets one more, so that it too
// survives the round trip unchanged.

const TRIGGER = /^'*[=+\-@\t\r]/;
const PLAIN_NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

export function guardCell(value: string): string {
  return TRIGGER.test(value) && !PLAIN_NUMBER.test(value) ? `'${value}` : value;
}

export function unguardCell(value: string): string {
  return value.startsWith("'") && TRIGGER.test(value.slice(1)) && !PLAIN_NUMBER.test(value.slice(1))
    ? value.slice(1)
    : value;
}
