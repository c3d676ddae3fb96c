// A hostile or broken server can answer JSON nested 100,000 levels deep: JSON.parse copes, but
// everything that walks the value afterwards (the redactor, JSON.stringify, a record writer)
// overflows the stack. No customer record is nested more than a few levels, so answers deeper than
// MAX_JSON_DEPTH are refused before parsing, by one linear scan that never recurses.

export const MAX_JSON_DEPTH = 64;

/** True when the JSON text opens more than `limit` arrays or objects inside each other. */
export function jsonNestedDeeperThan(text: string, limit = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
    } else if (c === 34) {
      inString = true;
    } else if (c === 123 /* { */ || c === 91 /* [ */) {
      if (++depth > limit) return true;
    } else if (c === 125 /* } */ || c === 93 /* ] */) {
      depth--;
    }
  }
  return false;
}
