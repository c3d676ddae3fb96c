// Text for a terminal: a customer's name or a server's error message may carry escape sequences
// (`ESC[2J` clears the screen, an OSC sequence retitles the window or writes a hyperlink, a lone
// CR overwrites what was printed). Every C0 and C1 control character and DEL is shown as a visible
// escape instead. JSON, NDJSON and CSV output keep the data exact: only text for people goes here.

const CONTROLS = /[\u0000-\u001f\u007f-\u009f]/g;
const CONTROLS_BUT_NEWLINE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/g;
const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function visible(c: string): string {
  return NAMED[c] ?? `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`;
}

/** `text` with control characters made visible; one line unless `keepNewlines`. */
export function forTerminal(text: string, options: { keepNewlines?: boolean } = {}): string {
  return text.replace(options.keepNewlines ? CONTROLS_BUT_NEWLINE : CONTROLS, visible);
}
