// MYPOS Connect API v2 (../shared/api/mypos.md): HTTP Basic login of an API user for a bearer
// token, on the vendor's one public API.
import type { VendorDescriptor } from '../descriptor.js';

export const MYPOS: VendorDescriptor = {
  name: 'mypos',
  title: 'MYPOS Connect v2',
  brand: 'MYPOS',
  credentials: [
    { key: 'username', flag: '--username', env: 'POSCUST_USERNAME', label: 'API user e-mail', noun: 'API user', help: 'MYPOS API user e-mail' },
    { key: 'password', flag: '--password-stdin', env: 'POSCUST_PASSWORD', label: 'Password', noun: 'password', help: 'MYPOS password', secret: true },
  ],
  urlHint: 'the API base URL',
  defaultUrl: 'https://api.myposconnect.com/api/v2',
  exampleUrl: 'https://api.myposconnect.com/api/v2',
  who: (conn) => `API user '${conn.username ?? '?'}'`,
  migration: {
    fields: {
      code: 'customerCode',
      name: 'customerName',
      firstName: 'firstName',
      lastName: 'lastName',
      email: 'emailAddress',
      mobile: 'phoneNumber',
      address: 'address',
      city: 'city',
      zip: 'postalCode',
      country: 'country',
      points: 'rewardsValue',
      active: { field: 'active', form: 'boolean' },
      note: 'notes',
    },
    link: {
      field: 'notes',
      form: 'tagged',
      why: 'MYPOS assigns every code itself, so the link is written in notes (poscust:<source>:<id>); list rows do not carry notes, so a re-run reads each customer once',
    },
  },
  load: () => import('./adapter.js'),
  schema: async () => (await import('./schema.js')).MYPOS_SCHEMA,
};
