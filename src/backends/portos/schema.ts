// The PORTOS customer record (../shared/api/portos.md, "The customer record"): camelCase names,
// nested members as dotted fields (`address.city`, `credit.amount`) so `--set`, `--fields` and CSV
// headers can reach them; collections and free objects (`cards`, `creditTransactions`, `meta`) as
// JSON.
import type { BackendSchema, FieldDef } from '../schema.js';

const f = (name: string, type: FieldDef['type'], writable = true): FieldDef => ({ name, type, writable });

const address = (prefix: string): FieldDef[] => [
  f(`${prefix}.street`, 'string'),
  f(`${prefix}.city`, 'string'),
  f(`${prefix}.zipCode`, 'string'),
  f(`${prefix}.country`, 'string'),
];

export const PORTOS_SCHEMA: BackendSchema = {
  fields: [
    // Writable: PORTOS lets the client choose the id of a new customer (POST, or PUT to a new id).
    f('id', 'string'),
    f('externalId', 'string'),
    f('isActive', 'boolean'),
    // Derived by the server from isActive and the activation window.
    f('status', 'string', false),
    f('activationTime', 'datetime'),
    f('expirationTime', 'datetime'),
    f('firstName', 'string'),
    f('lastName', 'string'),
    // Derived from firstName and lastName.
    f('fullName', 'string', false),
    f('gender', 'string'),
    f('birthDate', 'date'),
    f('email', 'email'),
    f('phone', 'phone'),
    f('isCompany', 'boolean'),
    f('company.name', 'string'),
    f('company.vatId', 'string'),
    f('company.taxId', 'string'),
    ...address('address'),
    ...address('deliveryAddress'),
    f('credit.amount', 'number'),
    f('credit.currencyLabel', 'string'),
    f('creditTransactions', 'json'),
    f('cards', 'json'),
    f('creditRate', 'number'),
    f('discountRate', 'number'),
    f('note', 'string'),
    f('meta', 'json'),
    // The resource version: read, sent back unchanged on PUT, incremented by the server.
    f('_v', 'integer', false),
  ],
  flags: {
    firstName: 'firstName',
    lastName: 'lastName',
    email: 'email',
    // PORTOS has one phone number; --mobile means it too.
    phone: 'phone',
    mobile: 'phone',
    birthdate: 'birthDate',
    gender: 'gender',
    note: 'note',
    active: 'isActive',
  },
  idField: 'id',
  joinedField: 'activationTime',
  pointsField: 'credit.amount',
  updateReturnsPrevious: true,
  tableColumns: ['id', 'externalId', 'fullName', 'email', 'phone', 'isActive', 'status', 'credit.amount', 'discountRate'],
  import: {
    keys: [
      // Not server-assigned: PORTOS keeps an id the client gives, so an upsert row whose id is not
      // there yet creates the customer under that id (an export of one shop imports into another).
      { name: 'id', field: 'id', lookup: 'id', caseInsensitive: true },
      // Unique on the server; found with the ExternalId filter, compared case-insensitively [pinned].
      { name: 'externalId', field: 'externalId', listFilter: 'externalId', caseInsensitive: true },
    ],
    // The server wants firstName, lastName or company.name: one of three, which it says itself.
    requiredOnCreate: [],
    // A shop's own server, often on a small box on the LAN: a few rows in flight are plenty.
    concurrency: 4,
    // Updates are read-merge-PUT: the listed record (with its _v) saves the read.
    updateUsesCurrent: true,
  },
};
