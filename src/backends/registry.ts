// The backends poscust speaks, by name. The only file outside the vendor folders that names them:
// adding a backend is a folder under src/backends/ (descriptor, adapter, schema) and one line here
// (and one under src/sandbox/ for its emulator). Descriptors are a few lines of data each and load
// with the program; each adapter loads only when a command talks to that backend.
import type { CredentialDef, VendorDescriptor } from './descriptor.js';
import { DEALPOS } from './dealpos/descriptor.js';
import { MYPOS } from './mypos/descriptor.js';
import { PORTOS } from './portos/descriptor.js';

export const VENDORS: readonly VendorDescriptor[] = [DEALPOS, MYPOS, PORTOS];

/** Backend names, in the order help and prompts list them (the first is the default choice). */
export const BACKENDS: readonly string[] = VENDORS.map((v) => v.name);

export type BackendName = string;

export function isBackendName(value: string): boolean {
  return BACKENDS.includes(value);
}

/** The descriptor of a known backend (callers check the name first). */
export function vendorOf(name: string): VendorDescriptor {
  const found = VENDORS.find((v) => v.name === name);
  if (!found) throw new Error(`no backend named '${name}'`);
  return found;
}

/** Every credential any backend uses, one per slot and option (for options, env and help). */
export function allCredentials(): CredentialDef[] {
  const seen = new Map<string, CredentialDef>();
  for (const v of VENDORS) for (const c of v.credentials) if (!seen.has(`${c.key}\0${c.flag}`)) seen.set(`${c.key}\0${c.flag}`, c);
  return [...seen.values()];
}

/** Credential slot -> environment variable, for all backends. */
export function credentialEnv(): Record<string, string> {
  return Object.fromEntries(allCredentials().map((c) => [c.key, c.env]));
}
