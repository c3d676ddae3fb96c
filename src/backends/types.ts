// One interface for every POS backend. Records keep each vendor's native field names; nothing a
// server returns is dropped. Each adapter declares the verbs it has (`verbs`); a verb it lacks
// throws UnsupportedError (exit 6), which the base class does by default, and commands ask before
// they prompt or spend requests (capabilities.ts), so no command branches on the backend's name.

export type CustomerRecord = Record<string, unknown>;

export type LookupKind = 'id' | 'code' | 'email' | 'mobile' | 'phone';

export interface Lookup {
  by: LookupKind;
  value: string;
}

export interface ListQuery {
  // DealPOS
  name?: string;
  outlet?: string;
  /** JoinDate from/to, yyyy-MM-dd, inclusive. */
  from?: string;
  to?: string;
  // PORTOS
  search?: string;
  /** NData filters `Member=op:arg;op:arg`, passed through. */
  filters?: string[];
  active?: boolean;
  externalId?: string;
  card?: string;
  // MYPOS / PORTOS
  /** `field` or `field:desc`. */
  sort?: string;
  /** ISO date-times for incremental reads (MYPOS). */
  changedSince?: string;
  changedUntil?: string;
  /** Fields the server should return, when it can restrict them (MYPOS sFieldList). */
  fields?: string[];
}

export interface Page {
  records: CustomerRecord[];
  /** All matches, when the answer says. */
  total?: number;
}

export interface WriteResult {
  id?: string;
  code?: string;
  /** The server's own words ("Record updated"). */
  message?: string;
  /** The record as stored, when the server returned it. */
  record?: CustomerRecord;
  /** The server's answer as is (printed under --format json). */
  raw: unknown;
  /** The record as it was just before this write, when the adapter read it (updateReturnsPrevious). */
  previous?: CustomerRecord;
}

export interface ListAllOptions {
  /** Told how many records match, as soon as an answer says (with the first page, where it can). */
  onTotal?: (total: number) => void;
}

export interface UpdateOptions {
  /** The current record when the caller already has it (saves a read on read-merge-write backends). */
  current?: CustomerRecord;
  /**
   * The values the changed fields hold now, by (dotted) field name, when the caller knows them: the
   * history keeps them as the write's before-image without reading the customer again.
   */
  before?: Record<string, unknown>;
}

export interface DeleteOptions {
  /** The record when the caller already read it (to show it in a confirmation): saves a lookup. */
  current?: CustomerRecord;
}

/** The adapter methods a backend may have or lack; reads (list, count, get) every backend has. */
export const BACKEND_VERBS = ['create', 'update', 'delete', 'setSuspended', 'merge', 'newCode', 'setPin', 'checkPin', 'setVerified', 'appSignIn'] as const;
export type BackendVerb = (typeof BACKEND_VERBS)[number];

export interface CustomerBackend {
  readonly name: string;
  readonly schema: BackendSchema;
  /** The verbs this backend has, declared once by the adapter. */
  readonly verbs: ReadonlySet<BackendVerb>;
  /** Why it lacks a verb, where there is more to say than "unsupported". */
  readonly whyNot?: Partial<Record<BackendVerb, string>>;
  /** Largest page the server serves; bulk reads use it to spend the fewest requests. */
  readonly maxPageSize: number;
  readonly defaultPageSize: number;
  /** Requests sent so far (for bulk-job summaries). */
  readonly requestsSent: number;
  /** Records getMany reads per request (1: one GET each). */
  readonly getManyBatch: number;
  /** The fields list rows carried on this server, from the rows seen so far; undefined before any. */
  readonly listRowFields: ReadonlySet<string> | undefined;
  /** Fields this server's records carry beyond the native ones (seen, or remembered from earlier runs). */
  readonly serverFields: ReadonlySet<string>;

  /** Obtains a token now if none is cached (a login), so a caller can tell a login failure apart. */
  authenticate(): Promise<void>;
  list(query: ListQuery, page: number, pageSize: number): Promise<Page>;
  /** Every matching record, a page at a time, as the pages arrive. */
  listAll(query: ListQuery, pageSize?: number, options?: ListAllOptions): AsyncIterable<CustomerRecord[]>;
  count(query: ListQuery): Promise<number>;
  get(lookup: Lookup): Promise<CustomerRecord>;
  /** Several by id in as few requests as the backend allows; `missing` lists ids not found. */
  getMany(ids: string[]): Promise<{ found: CustomerRecord[]; missing: string[] }>;

  create(fields: CustomerRecord): Promise<WriteResult>;
  update(lookup: Lookup, changes: CustomerRecord, options?: UpdateOptions): Promise<WriteResult>;
  delete(lookup: Lookup, options?: DeleteOptions): Promise<WriteResult>;
  setSuspended(lookup: Lookup, suspended: boolean): Promise<WriteResult>;
  /** `records`: the target's and the sources' records when the caller read them (the history keeps them). */
  merge(targetId: string, sourceIds: string[], options?: { records?: CustomerRecord[] }): Promise<WriteResult>;
  newCode(): Promise<string>;
  setPin(lookup: Lookup, pin: string): Promise<WriteResult>;
  /** True when the PIN is valid; false when the server rejects it. */
  checkPin(lookup: Lookup, pin: string): Promise<boolean>;
  setVerified(what: 'email' | 'mobile', lookup: Lookup, verified: boolean): Promise<WriteResult>;
  appSignIn(lookup: Lookup): Promise<WriteResult>;

  /** What a read-only probe finds about this server's dialect, in words (doctor); `rows` are a few list rows. */
  probeDialect?(rows: readonly CustomerRecord[]): Promise<string[]>;

  close(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// A backend's native fields (schema.ts has the functions that read them).

export type FieldType = 'string' | 'phone' | 'number' | 'integer' | 'boolean' | 'date' | 'datetime' | 'email' | 'enum' | 'json';

export interface FieldDef {
  /** Native name; dotted for nested members (`address.city`). */
  name: string;
  type: FieldType;
  /** False for fields the server assigns (ID, JoinDate, ...). */
  writable: boolean;
  values?: readonly string[];
}

export type ConvenienceFlag =
  | 'name'
  | 'firstName'
  | 'lastName'
  | 'email'
  | 'mobile'
  | 'phone'
  | 'code'
  | 'group'
  | 'birthdate'
  | 'address'
  | 'gender'
  | 'loyaltyPoint'
  | 'outlet'
  | 'note'
  | 'active';

export interface BackendSchema {
  fields: readonly FieldDef[];
  /** Convenience option -> native field, where the backend has one. */
  flags: Partial<Record<ConvenienceFlag, string>>;
  /** Native name of the identifier fields. */
  idField: string;
  codeField?: string;
  emailField?: string;
  mobileField?: string;
  /** Default columns of the table format. */
  tableColumns: readonly string[];
  /**
   * The fields list rows carry when the server's listing is a restricted view (MYPOS); absent when
   * list rows are whole records. `get` always answers the whole record.
   */
  listView?: readonly string[];
  /** Keys list rows carry that are about the listing, not the customer (MYPOS paging fields). */
  listRowMeta?: readonly string[];
  /** What `import` needs to know about this backend; absent = import unsupported. */
  import?: ImportSchema;
  /**
   * update() reads the whole record before it writes (read-merge-write) and returns it as
   * `previous`: the history takes its before-image from there instead of reading it again.
   */
  updateReturnsPrevious?: boolean;
  /** When the customer joined (duplicates: --keep oldest|newest). */
  joinedField?: string;
  /** The customer's points or credit (duplicates: --keep most-points). */
  pointsField?: string;
}

/** A field `import --key <name>` can match rows to customers by. Each is unique on the server. */
export interface ImportKeyDef {
  /** The `--key` value (`code`, `email`, `externalId`). */
  name: string;
  /** Native field holding it. */
  field: string;
  /** How `get`/`update` find a customer by it directly, when the backend can. */
  lookup?: LookupKind;
  /** Else a list filter that finds it exactly (PORTOS `externalId`); else only a full listing can. */
  listFilter?: keyof ListQuery;
  /**
   * The server assigns it on create (DealPOS ID, MYPOS customerCode): create mode ignores the column
   * with a warning, and upsert creates the rows whose cell is empty.
   */
  serverAssigned?: boolean;
  /** The server treats values differing only in letter case as the same (DealPOS Code, Email). */
  caseInsensitive?: boolean;
}

export interface ImportSchema {
  /** Keys `--key` accepts; the first is the default. */
  keys: readonly ImportKeyDef[];
  /** Fields a new customer must have (DealPOS `Name`). */
  requiredOnCreate: readonly string[];
  /** Rows in flight at once by default (`--concurrency`). */
  concurrency: number;
  /**
   * update() reads the record to merge the changes into it (MYPOS, PORTOS): the importer then keeps
   * the whole listed record and passes it as `current`, saving that read.
   */
  updateUsesCurrent?: boolean;
}

// ---------------------------------------------------------------------------------------------
// Which shop, with what credentials (connection.ts resolves it from options, environment, profile).

/** The credential slots a profile and a connection have; each vendor uses some of them. */
export type CredentialKey = 'clientId' | 'clientSecret' | 'username' | 'password' | 'deviceName';

export interface Connection {
  /** The profile the settings came from, if any (env variables may override its fields). */
  profileName: string | null;
  backend: string;
  baseUrl: string;
  clientId?: string;
  clientSecret?: string;
  username?: string;
  password?: string;
  deviceName?: string;
  /** POSCUST_TOKEN: a bearer token used as is, no login. */
  token?: string;
  allowInsecureHttp: boolean;
  /** `--insecure-tls`: certificates are not verified. */
  insecureTls: boolean;
  /** ISO 3166 alpha-2 of the shop's phone numbers: POSCUST_REGION, the profile's, or the vendor's default. */
  region?: string;
}
