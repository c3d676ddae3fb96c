// Objects built from untrusted names (CSV headers, `--set`, `--from-json`, a server's answer) must
// never reach an object's prototype: `obj['__proto__'] = v` through assignment replaces the
// prototype, and a dotted walk through `__proto__` lands on Object.prototype itself, where one
// CSV cell once planted TLS and header options for every later request. These helpers define
// own properties only, and name the segments a field name may never have.

/** Segments no field name may contain, anywhere in a dotted path. */
export const FORBIDDEN_SEGMENTS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** The first forbidden segment of a dotted name, or undefined. */
export function forbiddenSegment(name: string): string | undefined {
  return name.split('.').find((part) => FORBIDDEN_SEGMENTS.has(part));
}

/**
 * Object.freeze(Object.prototype), in a way V8 keeps fast: sealed, then each data property made
 * read-only (Object.isFrozen is then true). Object.freeze itself moves the object to "frozen
 * elements", and with that V8 drops a fast path for indexed stores in every object: measured
 * here, iconv-lite's windows-1252 decoding ran 10x slower and the CSV scan 1.6x slower.
 */
export function freezeObjectPrototype(): void {
  const proto = Object.prototype;
  Object.seal(proto);
  for (const key of Reflect.ownKeys(proto)) {
    const d = Object.getOwnPropertyDescriptor(proto, key)!;
    if ('value' in d && d.writable) Object.defineProperty(proto, key, { writable: false });
  }
}

/** Sets an own, enumerable data property (never a setter on the prototype chain). */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
}

/** The own property `key`, or undefined (an inherited `constructor` or `__proto__` is not a value). */
export function getOwn(target: Record<string, unknown>, key: string): unknown {
  return Object.hasOwn(target, key) ? target[key] : undefined;
}
