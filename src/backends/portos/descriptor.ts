// PORTOS (../shared/api/portos.md): the shop's own server, often plain http:// on the shop's LAN;
// a user logs in on a named device.
import type { VendorDescriptor } from '../descriptor.js';

export const PORTOS: VendorDescriptor = {
  name: 'portos',
  title: 'PORTOS',
  brand: 'PORTOS',
  credentials: [
    { key: 'username', flag: '--username', env: 'POSCUST_USERNAME', label: 'User name', noun: 'user name', help: 'PORTOS user name' },
    { key: 'password', flag: '--password-stdin', env: 'POSCUST_PASSWORD', label: 'Password', noun: 'password', help: 'PORTOS password', secret: true },
    {
      key: 'deviceName',
      flag: '--device-name',
      env: 'POSCUST_DEVICE_NAME',
      label: 'Device name (as registered in PORTOS)',
      noun: 'device name',
      help: 'PORTOS device name',
    },
  ],
  urlHint: 'the server, such as https://portos.myshop.sk or http://10.0.0.5',
  exampleUrl: 'http://10.0.0.5',
  // PORTOS is a Slovak system: 0903 … is +421 903 ….
  defaultRegion: 'SK',
  who: (conn) => `'${conn.username ?? '?'}' on device '${conn.deviceName ?? '?'}'`,
  migration: {
    fields: {
      externalId: 'externalId',
      firstName: 'firstName',
      lastName: 'lastName',
      email: 'email',
      mobile: 'phone',
      address: 'address.street',
      city: 'address.city',
      zip: 'address.zipCode',
      country: 'address.country',
      birthDate: 'birthDate',
      gender: { field: 'gender', form: 'female-male' },
      points: 'credit.amount',
      active: { field: 'isActive', form: 'boolean' },
      note: 'note',
    },
    link: { field: 'externalId', form: 'code', why: "the source's code (or ID) becomes externalId, which PORTOS filters by" },
  },
  load: () => import('./adapter.js'),
  schema: async () => (await import('./schema.js')).PORTOS_SCHEMA,
};
