// DealPOS API v3 (../shared/api/dealpos.md): OAuth2 client credentials; a shop is a subdomain of
// dealpos.net, so a profile may give just that.
import type { VendorDescriptor } from '../descriptor.js';

export const DEALPOS: VendorDescriptor = {
  name: 'dealpos',
  title: 'DealPOS API v3',
  brand: 'DealPOS',
  credentials: [
    { key: 'clientId', flag: '--client-id', env: 'POSCUST_CLIENT_ID', label: 'Client ID', noun: 'client id', help: 'DealPOS OAuth2 client id' },
    {
      key: 'clientSecret',
      flag: '--client-secret-stdin',
      env: 'POSCUST_CLIENT_SECRET',
      label: 'Client secret',
      noun: 'client secret',
      help: 'DealPOS OAuth2 client secret',
      secret: true,
    },
  ],
  urlHint: 'the shop subdomain, or the whole URL such as https://myshop.dealpos.net/api/v3',
  exampleUrl: 'https://shop.dealpos.net/api/v3',
  // DealPOS serves Indonesian shops: 0812… is +62 812….
  defaultRegion: 'ID',
  expandBaseUrl(value) {
    if (/^[a-z0-9-]+$/i.test(value)) return `https://${value}.dealpos.net/api/v3`;
    if (/^[a-z0-9-]+\.dealpos\.net$/i.test(value)) return `https://${value}/api/v3`;
    return undefined;
  },
  who: (conn) => `client '${conn.clientId ?? '?'}'`,
  migration: {
    fields: {
      code: 'Code',
      name: 'Name',
      firstName: 'FirstName',
      lastName: 'LastName',
      email: 'Email',
      mobile: 'Mobile',
      phone: 'Phone',
      address: 'Address',
      birthDate: 'BirthDate',
      // DealPOS's Gender is a boolean: true for women (the vendor's examples), false for men.
      gender: { field: 'Gender', form: 'female-true' },
      points: 'LoyaltyPoint',
      active: { field: 'Status', form: 'status-word' },
    },
    link: { field: 'Code', form: 'code', why: "the source's code (or ID) becomes the customer's Code, which DealPOS looks customers up by" },
  },
  load: () => import('./adapter.js'),
  schema: async () => (await import('./schema.js')).DEALPOS_SCHEMA,
};
