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

/** Sets an own, enumerable data property (never a setter on the prototype chain). */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
}

/** The own property `key`, or undefined (an inherited `constructor` or `__proto__` is not a value). */
export function getOwn(target: Record<string, unknown>, key: string): unknown {
  return Object.hasOwn(target, key) ? target[key] : undefined;
}
