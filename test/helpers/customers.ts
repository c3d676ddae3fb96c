// Customers the write tests start from (DealPOS shape).
export const HENDRY = {
  ID: 'c27bfb13-4936-43e5-bd7d-410dc8d041c2',
  Code: 'HWCISAP',
  Name: 'Hendry Wijaya',
  FirstName: 'Hendry',
  LastName: 'Wijaya',
  Email: 'hendryw@gmail.com',
  Phone: '0216892235',
  Mobile: '08569314515',
  Address: 'Jl. Muara Karang P3T No.30',
  Group: 'Gold',
  LoyaltyPoint: 88,
  Status: 'Active',
  SignUpOutlet: 'Outlet1',
};

export const SITI = {
  ID: '298bb6ce-d337-43ab-9c9f-5b289f0f5c95',
  Code: 'TIA20887',
  Name: 'Siti Rahayu',
  Email: 'siti@example.id',
  Mobile: '0812000111',
  LoyaltyPoint: 12,
  Status: 'Active',
};

export const BUDI = {
  ID: '6f0e8a53-0b0e-4bfa-9d55-2b8a4e0c7d11',
  Code: 'BUDI-7',
  Name: 'Budi Santoso',
  Email: 'budi@example.id',
  LoyaltyPoint: 5,
  Status: 'Active',
};

/** Identifiers that break naive URL building: reserved characters, spaces, non-ASCII. */
export const ODD = {
  ID: '0a4f2c9e-1111-4c2d-8e7f-99aa00bb11cc',
  Code: 'A/B?#1 %é',
  Name: 'Ödön Ürgé',
  Email: 'odd+tag@exämple.id',
  Phone: '021 555/77#9',
  LoyaltyPoint: 0,
  Status: 'Active',
};

export const ALL = [HENDRY, SITI, BUDI, ODD];
