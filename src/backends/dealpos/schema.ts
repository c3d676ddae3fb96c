// DealPOS API v3 (../shared/api/dealpos.md): the customer record's PascalCase fields, which of them
// the convenience flags set, and how an import matches rows to customers.
import type { BackendSchema, FieldDef } from '../schema.js';

const f = (name: string, type: FieldDef['type'], writable = true, values?: readonly string[]): FieldDef =>
  values ? { name, type, writable, values } : { name, type, writable };

export const DEALPOS_SCHEMA: BackendSchema = {
  fields: [
    f('ID', 'string', false),
    f('Code', 'string'),
    f('Name', 'string'),
    f('FirstName', 'string'),
    f('LastName', 'string'),
    f('Email', 'email'),
    f('Phone', 'phone'),
    f('Mobile', 'phone'),
    f('Address', 'string'),
    f('Gender', 'boolean'),
    f('BirthDate', 'date'),
    f('JoinDate', 'date', false),
    f('Group', 'string'),
    f('ExpiredGroup', 'date'),
    f('LoyaltyPoint', 'number'),
    f('Status', 'enum', true, ['Active', 'Suspended']),
    f('ReferredBy', 'string'),
    f('ImageURL', 'string'),
    f('SignUpOutlet', 'string'),
    f('EmailVerified', 'boolean', false),
    f('MobileVerified', 'boolean', false),
    f('AppLastSignIn', 'datetime', false),
  ],
  flags: {
    name: 'Name',
    firstName: 'FirstName',
    lastName: 'LastName',
    email: 'Email',
    mobile: 'Mobile',
    phone: 'Phone',
    code: 'Code',
    group: 'Group',
    birthdate: 'BirthDate',
    address: 'Address',
    gender: 'Gender',
    loyaltyPoint: 'LoyaltyPoint',
    outlet: 'SignUpOutlet',
  },
  idField: 'ID',
  joinedField: 'JoinDate',
  pointsField: 'LoyaltyPoint',
  codeField: 'Code',
  emailField: 'Email',
  mobileField: 'Mobile',
  tableColumns: ['Code', 'Name', 'Email', 'Mobile', 'Group', 'LoyaltyPoint', 'Status'],
  import: {
    // Code, Email and Mobile are unique when present (api/dealpos.md); the server matches Code and
    // Email case-insensitively. Updates send only the changed fields, so no `current` is needed.
    keys: [
      { name: 'code', field: 'Code', lookup: 'code', caseInsensitive: true },
      { name: 'email', field: 'Email', lookup: 'email', caseInsensitive: true },
      { name: 'mobile', field: 'Mobile', lookup: 'mobile' },
      { name: 'id', field: 'ID', lookup: 'id', serverAssigned: true, caseInsensitive: true },
    ],
    requiredOnCreate: ['Name'],
    // The quota, not the connection count, bounds a DealPOS job; 8 keeps a 20-50 ms link busy.
    concurrency: 8,
  },
};
