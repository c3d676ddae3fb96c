// What poscust knows about a vendor besides its adapter: its name and title, the credentials a
// profile needs (with their option, environment variable and prompt label), how its base URL may be
// shortened, and how to load its adapter. Config, `profile add`, the help topics, the sandbox
// command and the test helpers read these; none of them names a vendor.
import type { BackendSchema } from './types.js';
import type { CachedToken } from '../config/token-cache.js';
import type { HttpClient, HttpClientOptions } from '../http/client.js';
import type { Connection, CredentialKey, CustomerBackend } from './types.js';
import type { ServerNotes } from '../config/server-notes.js';

export type { CredentialKey };

export interface CredentialDef {
  key: CredentialKey;
  /** The option of `profile add`: `--client-id`; for a secret, its stdin flag `--client-secret-stdin`. */
  flag: string;
  /** The environment variable that overrides the profile's value. */
  env: string;
  /** How `profile add` asks for it on a terminal: "Client ID". */
  label: string;
  /** In messages: "no DealPOS client id". */
  noun: string;
  /** For option help and `help environment`: "DealPOS OAuth2 client id". */
  help: string;
  /** Read from a hidden prompt, stdin or the environment, never from argv. */
  secret?: boolean;
}

/** What an adapter module exports (loaded on first use, so a command that sends nothing never loads it). */
export interface AdapterModule {
  /** Turns an error body into a message (Message, failureDescription, ProblemDetails). */
  describeBody?: HttpClientOptions['describeBody'];
  /** Obtains a token with the connection's credentials. */
  login(http: HttpClient, conn: Connection, now: () => number): Promise<CachedToken>;
  /** Trades an old token for a new one without a full login, where the vendor can. */
  refresh?(http: HttpClient, old: CachedToken, now: () => number): Promise<CachedToken | undefined>;
  createBackend(http: HttpClient, hooks: AdapterHooks): CustomerBackend;
}

/** What an adapter may tell the user: `--verbose` notes and warnings. */
export interface AdapterHooks {
  log?: (line: string) => void;
  warn?: (line: string) => void;
  /** What this server was found to speak where the contract guessed (config/server-notes.ts). */
  notes?: ServerNotes;
}

/** What a customer field means, across vendors: how `migrate` maps one backend's fields to another's. */
export type Concept =
  | 'code'
  | 'name'
  | 'firstName'
  | 'lastName'
  | 'email'
  | 'mobile'
  | 'phone'
  | 'address'
  | 'city'
  | 'zip'
  | 'country'
  | 'birthDate'
  | 'gender'
  | 'points'
  | 'active'
  | 'note'
  | 'externalId';

/** How a value of a concept is written natively, where it is not plain text. */
export type ConceptForm = 'female-true' | 'female-male' | 'status-word' | 'boolean';

export interface MigrationDescriptor {
  /** Concept -> native field; a field with a form converts through a common value (gender, active). */
  fields: Partial<Record<Concept, string | { field: string; form: ConceptForm }>>;
  /**
   * Where a migrated customer keeps the source's identity, so a re-run finds it: the field, and
   * how the link is written into it. `code`: the source's code (or ID when it has none).
   */
  link: { field: string; form: 'code' | 'tagged'; why: string };
}

export interface VendorDescriptor {
  readonly name: string;
  /** "DealPOS API v3" */
  readonly title: string;
  /** "DealPOS", in messages. */
  readonly brand: string;
  /** In the order `profile add` asks for them: the user, the secret, then the rest. */
  readonly credentials: readonly CredentialDef[];
  /** For the base URL prompt: what to type. */
  readonly urlHint: string;
  /** A sensible default for the prompt (the vendor's one public API), if there is one. */
  readonly defaultUrl?: string;
  /** An example for messages and help. */
  readonly exampleUrl: string;
  /** Where the vendor's shops are (ISO 3166 alpha-2): how a phone number without + is read. None: only +numbers are. */
  readonly defaultRegion?: string;
  /** A shorthand the vendor's shops use (a DealPOS subdomain) as a whole base URL, else undefined. */
  expandBaseUrl?(value: string): string | undefined;
  /** How the user who logs in is named in messages: "client 'x'", "'admin' on device 'till'". */
  who(conn: Connection): string;
  load(): Promise<AdapterModule>;
  /** The native fields, without the adapter (a list over several shops needs every shop's columns). */
  schema(): Promise<BackendSchema>;
  /** What `migrate` maps to and from this backend. */
  readonly migration: MigrationDescriptor;
}

/** The credential that names who logs in (the first that is not a secret). */
export function userCredential(vendor: VendorDescriptor): CredentialDef {
  return vendor.credentials.find((c) => !c.secret)!;
}

/** The secret of a vendor's login. */
export function secretCredential(vendor: VendorDescriptor): CredentialDef {
  return vendor.credentials.find((c) => c.secret)!;
}
