// How many terminal columns text takes: East Asian wide characters take two, combining marks and
// zero-width characters none, an emoji sequence two (string-width, which follows Unicode's East
// Asian Width and grapheme clusters). Plain ASCII, by far the most common cell, is counted without
// it: a 200,000-row table must stream at the speed of NDJSON. string-width starts ICU's segmenter
// when it loads (about 30 ms measured here), so it is loaded only when a text needs it:
// `prepareWidths` before measuring.

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

let stringWidth: ((text: string) => number) | undefined;

/** Loads what measuring these texts takes (string-width, for anything but printable ASCII). */
export async function prepareWidths(texts: Iterable<string>): Promise<void> {
  if (stringWidth) return;
  for (const t of texts) {
    if (!PRINTABLE_ASCII.test(t)) {
      stringWidth = (await import('string-width')).default;
      return;
    }
  }
}

export function displayWidth(text: string): number {
  if (PRINTABLE_ASCII.test(text)) return text.length;
  // What truncateToWidth makes of an ASCII cell: its ellipsis is one column.
  if (text.endsWith('…') && PRINTABLE_ASCII.test(text.slice(0, -1))) return text.length;
  if (!stringWidth) throw new Error('internal error: displayWidth before prepareWidths');
  return stringWidth(text);
}

let segmenter: Intl.Segmenter | undefined;

/** `text` cut to at most `width` columns, with `…` at the end when anything was cut. */
export function truncateToWidth(text: string, width: number): string {
  if (displayWidth(text) <= width) return text;
  if (width <= 0) return '';
  if (PRINTABLE_ASCII.test(text)) return `${text.slice(0, width - 1)}…`;
  segmenter ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  let out = '';
  let used = 0;
  for (const { segment } of segmenter.segment(text)) {
    const w = displayWidth(segment);
    if (used + w > width - 1) break;
    out += segment;
    used += w;
  }
  return `${out}…`;
}

/** `text` padded with spaces to `width` columns. */
export function padToWidth(text: string, width: number): string {
  const pad = width - displayWidth(text);
  return pad > 0 ? text + ' '.repeat(pad) : text;
}
