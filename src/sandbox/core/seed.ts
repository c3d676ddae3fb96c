// Deterministic, realistic customer data for the sandbox emulators.
//
// Vendor-neutral people (`seedPerson(i)`): names, e-mail, Indonesian mobile and landline numbers,
// address, birth and join dates, drawn from fixed pools with a seeded PRNG. Each emulator shapes
// them into its own records (dealpos/seed.ts, mypos/seed.ts, portos/seed.ts).
//
// Every person depends only on its index (its PRNG is seeded from a fixed constant and the index),
// so the same N always yields the same customers, and seeding 10 gives the first 10 of seeding 1000.
// E-mail addresses, mobile numbers, codes and IDs embed the index, so they are unique by
// construction, not by luck.

/** Fixed base seed of the customer generator. Changing it changes every seeded customer. */
export const SEED_BASE = 0x5eed2026;

/** The largest number of customers `seedPerson` keeps unique mobiles for (7 index-derived digits). */
export const MAX_SEED_COUNT = 1_000_000;

/** mulberry32: a tiny, fast 32-bit PRNG, good enough for test data and fault dice. Returns [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Mixes integers into one 32-bit seed (murmur3 finaliser per step), so nearby indexes diverge. */
export function mixSeed(...parts: number[]): number {
  let h = 0x9e3779b9;
  for (const part of parts) {
    h = Math.imul(h ^ (part >>> 0), 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
  }
  return h >>> 0;
}

/** A seeded random source with the few helpers the generators need. */
export class SeededRandom {
  readonly next: () => number;
  constructor(seed: number) {
    this.next = mulberry32(seed);
  }
  /** Integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  chance(probability: number): boolean {
    return this.next() < probability;
  }
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('pick from an empty list');
    return items[Math.floor(this.next() * items.length)] as T;
  }
  /** Picks by weight: `[[value, weight], ...]`. */
  weighted<T>(choices: readonly (readonly [T, number])[]): T {
    const total = choices.reduce((sum, [, w]) => sum + w, 0);
    let roll = this.next() * total;
    for (const [value, weight] of choices) {
      roll -= weight;
      if (roll < 0) return value;
    }
    return (choices[choices.length - 1] as readonly [T, number])[0];
  }
  hex(length: number): string {
    let out = '';
    while (out.length < length) out += Math.floor(this.next() * 0x10000).toString(16).padStart(4, '0');
    return out.slice(0, length);
  }
}

// ---------------------------------------------------------------------------------------------
// Pools (vendor-neutral)

export const INDONESIAN_MALE_GIVEN = [
  'Budi', 'Agus', 'Hendra', 'Andi', 'Wahyu', 'Rizky', 'Dimas', 'Yusuf', 'Bayu', 'Eko', 'Joko', 'Adi',
  'Fajar', 'Teguh', 'Arif', 'Hendry', 'Ferdiansyah', 'Irfan', 'Reza', 'Taufik', 'Gilang', 'Rudi',
  'Aditya', 'Bambang', 'Doni', 'Galih', 'Hadi', 'Imam', 'Kevin', 'Lukman', 'Made', 'Nyoman', 'Putu',
  'Rangga', 'Slamet', 'Surya', 'Thomy', 'Yoga', 'Zulkifli', 'Ahmad', 'Muhammad', 'Dedi',
] as const;

export const INDONESIAN_FEMALE_GIVEN = [
  'Dewi', 'Siti', 'Rina', 'Putri', 'Fitri', 'Ayu', 'Nur', 'Indah', 'Lestari', 'Ratna', 'Sri', 'Kartika',
  'Maya', 'Wulan', 'Dian', 'Mega', 'Nadia', 'Anisa', 'Citra', 'Eka', 'Fransiska', 'Gita', 'Intan',
  'Jessica', 'Kurnia', 'Larasati', 'Melati', 'Novita', 'Oktaviani', 'Puspita', 'Rahmawati', 'Sari',
  'Tiara', 'Utari', 'Vina', 'Yuliana', 'Zahra', 'Aulia', 'Bunga', 'Cahya',
] as const;

export const INDONESIAN_FAMILY = [
  'Santoso', 'Wijaya', 'Pratama', 'Saputra', 'Hidayat', 'Kusuma', 'Setiawan', 'Nugroho', 'Gunawan',
  'Halim', 'Susanto', 'Siregar', 'Nasution', 'Simanjuntak', 'Harahap', 'Sitompul', 'Lubis', 'Tanjung',
  'Sulistyo', 'Purnomo', 'Wibowo', 'Hartono', 'Tanoto', 'Rahman', 'Hakim', 'Syahputra', 'Permana',
  'Firmansyah', 'Kurniawan', 'Hutapea', 'Panjaitan', 'Sihombing', 'Wirawan', 'Lim', 'Tan', 'Gozali',
  'Salim', 'Effendi', 'Sembiring', 'Ginting', 'Manurung', 'Suharto', 'Prasetyo', 'Ramadhan',
] as const;

/** Whole names that are not Indonesian-with-ASCII: diacritics, other scripts, apostrophes. */
export interface PresetName {
  first: string;
  last: string | null;
  full: string;
  female: boolean;
  /** ASCII local part for e-mail when the name has none (other scripts). */
  emailLocal?: string;
}

export const PRESET_NAMES: readonly PresetName[] = [
  { first: 'Ni Ketut Ayu', last: 'Ratnasari', full: 'Ni Ketut Ayu Ratnasari', female: true },
  { first: 'I Made', last: 'Surya Adnyana', full: 'I Made Surya Adnyana', female: false },
  { first: 'I Gusti Ayu', last: 'Putri Laksmi', full: 'I Gusti Ayu Putri Laksmi', female: true },
  { first: 'Nguyễn Thị', last: 'Hoa', full: 'Nguyễn Thị Hoa', female: true },
  { first: 'Đặng Văn', last: 'Minh', full: 'Đặng Văn Minh', female: false },
  { first: 'Zoë', last: 'Müller', full: 'Zoë Müller', female: true },
  { first: 'Séverine', last: 'Dupont', full: 'Séverine Dupont', female: true },
  { first: 'François', last: 'Lefèvre', full: 'François Lefèvre', female: false },
  { first: 'José', last: 'Ramírez', full: 'José Ramírez', female: false },
  { first: 'Łukasz', last: 'Wójcik', full: 'Łukasz Wójcik', female: false },
  { first: 'Björn', last: 'Ångström', full: 'Björn Ångström', female: false },
  { first: 'Ayşe', last: 'Yılmaz', full: 'Ayşe Yılmaz', female: true },
  { first: 'Renée', last: "O'Connor", full: "Renée O'Connor", female: true },
  { first: 'Søren', last: 'Kjærgaard', full: 'Søren Kjærgaard', female: false },
  { first: '美玲', last: '陈', full: '陈美玲', female: true, emailLocal: 'chen.meiling' },
  { first: '伟', last: '王', full: '王伟', female: false, emailLocal: 'wang.wei' },
  { first: 'Sukarni', last: null, full: 'Sukarni', female: true },
  { first: 'Sutrisno', last: null, full: 'Sutrisno', female: false },
];

/** Academic titles, common in Indonesian customer lists; they put commas into names. */
const TITLE_SUFFIXES = [', S.E.', ', S.Kom', ', M.M.', ', S.H.', ', S.T.'] as const;

export interface CityInfo {
  city: string;
  province: string;
  areaCode: string;
  postalPrefix: string;
}

export const CITIES: readonly CityInfo[] = [
  { city: 'Jakarta Pusat', province: 'DKI Jakarta', areaCode: '021', postalPrefix: '10' },
  { city: 'Jakarta Selatan', province: 'DKI Jakarta', areaCode: '021', postalPrefix: '12' },
  { city: 'Jakarta Utara', province: 'DKI Jakarta', areaCode: '021', postalPrefix: '14' },
  { city: 'Bandung', province: 'Jawa Barat', areaCode: '022', postalPrefix: '40' },
  { city: 'Surabaya', province: 'Jawa Timur', areaCode: '031', postalPrefix: '60' },
  { city: 'Yogyakarta', province: 'DI Yogyakarta', areaCode: '0274', postalPrefix: '55' },
  { city: 'Semarang', province: 'Jawa Tengah', areaCode: '024', postalPrefix: '50' },
  { city: 'Medan', province: 'Sumatera Utara', areaCode: '061', postalPrefix: '20' },
  { city: 'Denpasar', province: 'Bali', areaCode: '0361', postalPrefix: '80' },
  { city: 'Makassar', province: 'Sulawesi Selatan', areaCode: '0411', postalPrefix: '90' },
  { city: 'Tangerang', province: 'Banten', areaCode: '021', postalPrefix: '15' },
  { city: 'Malang', province: 'Jawa Timur', areaCode: '0341', postalPrefix: '65' },
];

export const STREETS = [
  'Jl. Sudirman', 'Jl. M.H. Thamrin', 'Jl. Gatot Subroto', 'Jl. Diponegoro', 'Jl. Gajah Mada',
  'Jl. Muara Karang', 'Jl. Pemuda', 'Jl. Ahmad Yani', 'Jl. Merdeka', 'Jl. Pahlawan', 'Jl. Asia Afrika',
  'Jl. Malioboro', 'Jl. Raya Kuta', 'Jl. Dago', 'Jl. Kebon Jeruk', 'Jl. Kemang Raya', 'Jl. Hayam Wuruk',
  'Jl. Cendrawasih', 'Gg. Mawar', 'Jl. Veteran',
] as const;

export const EMAIL_DOMAINS: readonly (readonly [string, number])[] = [
  ['gmail.com', 50], ['yahoo.co.id', 14], ['yahoo.com', 8], ['hotmail.com', 6], ['outlook.com', 6],
  ['icloud.com', 4], ['mail.com', 2], ['ymail.com', 2], ['toko-makmur.co.id', 2], ['example.id', 2],
];

/** Indonesian mobile operator prefixes after the leading 08 (Telkomsel, Indosat, XL, Tri, Smartfren). */
export const MOBILE_PREFIXES = [
  '11', '12', '13', '21', '22', '23', '52', '53', '14', '15', '16', '55', '56', '57', '58', '17', '18',
  '19', '59', '77', '78', '31', '32', '33', '38', '95', '96', '97', '98', '99', '81', '82', '83', '87',
  '88', '89',
] as const;

export const OUTLETS: readonly (readonly [string, number])[] = [
  ['Outlet1', 30], ['Outlet2', 15], ['Kemang', 12], ['Bandung Dago', 12], ['Surabaya Tunjungan', 12],
  ['Denpasar Kuta', 10], ['Online Store', 9],
];

// ---------------------------------------------------------------------------------------------
// Vendor-neutral people

export interface SeedPerson {
  index: number;
  firstName: string;
  lastName: string | null;
  fullName: string;
  female: boolean;
  /** Null for some people: not every shop customer leaves an e-mail address. */
  email: string | null;
  /** Indonesian mobile, `08...`; null for a few. */
  mobile: string | null;
  /** Landline with area code; null for most. */
  phone: string | null;
  street: string;
  city: string;
  province: string;
  postalCode: string;
  /** `yyyy-MM-dd` or null. */
  birthDate: string | null;
  /** `yyyy-MM-dd`, 2019-01-01 .. 2026-10-31. */
  joinDate: string;
}

const DAY_MS = 86_400_000;
const JOIN_START = Date.UTC(2019, 0, 1);
const JOIN_END = Date.UTC(2026, 9, 31);
const BIRTH_START = Date.UTC(1955, 0, 1);
const BIRTH_END = Date.UTC(2008, 11, 31);

export function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export function randomDay(rng: SeededRandom, startMs: number, endMs: number): number {
  return startMs + rng.int(0, Math.floor((endMs - startMs) / DAY_MS)) * DAY_MS;
}

/** Folds a name to lower-case ASCII for e-mail local parts ("Zoë Müller" -> "zoe muller"). */
export function asciiFold(text: string): string {
  const special: Record<string, string> = {
    'ł': 'l', 'Ł': 'l', 'đ': 'd', 'Đ': 'd', 'ø': 'o', 'Ø': 'o', 'æ': 'ae', 'Æ': 'ae', 'ß': 'ss', 'ı': 'i',
  };
  return text
    .replace(/[łŁđĐøØæÆßı]/g, (ch) => special[ch] ?? ch)
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9 ]+/g, '')
    .trim();
}

/** A bijection of 0..9,999,999 so consecutive indexes do not give consecutive phone numbers. */
function scramble7(index: number): string {
  return String((index * 7_919 + 4_310_221) % 10_000_000).padStart(7, '0');
}

/** The vendor-neutral person at `index` (0-based). Pure: same index, same person. */
export function seedPerson(index: number): SeedPerson {
  if (!Number.isInteger(index) || index < 0 || index >= MAX_SEED_COUNT) {
    throw new RangeError(`seed index must be a whole number from 0 to ${MAX_SEED_COUNT - 1}`);
  }
  const rng = new SeededRandom(mixSeed(SEED_BASE, index, 1));
  let firstName: string;
  let lastName: string | null;
  let fullName: string;
  let female: boolean;
  let emailLocal: string;
  if (rng.chance(0.14)) {
    const preset = rng.pick(PRESET_NAMES);
    ({ first: firstName, last: lastName, full: fullName, female } = preset);
    emailLocal = preset.emailLocal ?? asciiFold(fullName).replace(/ +/g, '.');
  } else {
    female = rng.chance(0.52);
    firstName = rng.pick(female ? INDONESIAN_FEMALE_GIVEN : INDONESIAN_MALE_GIVEN);
    if (rng.chance(0.25)) {
      // Two given names ("Siti Nur", "Muhammad Rizky") are common.
      firstName += ' ' + rng.pick(female ? INDONESIAN_FEMALE_GIVEN : INDONESIAN_MALE_GIVEN);
    }
    lastName = rng.chance(0.1) ? null : rng.pick(INDONESIAN_FAMILY); // mononyms exist
    fullName = lastName ? `${firstName} ${lastName}` : firstName;
    const folded = asciiFold(fullName).split(' ');
    emailLocal = rng.weighted<string>([
      [folded.join('.'), 5],
      [folded.join(''), 2],
      [folded.join('_'), 1],
      [folded[0] ?? 'customer', 2],
    ]);
    if (rng.chance(0.04)) fullName += rng.pick(TITLE_SUFFIXES);
  }
  if (!emailLocal) emailLocal = 'customer';
  const email = rng.chance(0.88) ? `${emailLocal}${index + 1}@${rng.weighted(EMAIL_DOMAINS)}` : null;
  const mobile = rng.chance(0.94) ? `08${rng.pick(MOBILE_PREFIXES)}${rng.int(0, 9)}${scramble7(index)}` : null;
  const place = rng.pick(CITIES);
  const landlineDigits = place.areaCode.length === 3 ? 8 : 7;
  const phone = rng.chance(0.3)
    ? place.areaCode + String(rng.int(2, 8)) + String(rng.int(0, 10 ** (landlineDigits - 1) - 1)).padStart(landlineDigits - 1, '0')
    : null;
  const street = `${rng.pick(STREETS)} No.${rng.int(1, 250)}${rng.chance(0.3) ? `, RT ${String(rng.int(1, 15)).padStart(2, '0')}/RW ${String(rng.int(1, 12)).padStart(2, '0')}` : ''}`;
  const postalCode = place.postalPrefix + String(rng.int(110, 999));
  const birthDate = rng.chance(0.85) ? isoDay(randomDay(rng, BIRTH_START, BIRTH_END)) : null;
  const joinDate = isoDay(randomDay(rng, JOIN_START, JOIN_END));
  return {
    index, firstName, lastName, fullName, female, email, mobile, phone, street,
    city: place.city, province: place.province, postalCode, birthDate, joinDate,
  };
}

/** A GUID (version-4 layout) for the record at `index`; the last group embeds the index, so unique. */
export function seedGuid(index: number, salt = 0): string {
  const rng = new SeededRandom(mixSeed(SEED_BASE, index, 2, salt));
  const tail = (mixSeed(index) >>> 0).toString(16).padStart(8, '0'); // mixSeed is a bijection of one int
  const variant = rng.pick(['8', '9', 'a', 'b']);
  return `${rng.hex(8)}-${rng.hex(4)}-4${rng.hex(3)}-${variant}${rng.hex(3)}-${rng.hex(4)}${tail}`;
}

/** `formatCode('C-', 7, 5)` -> `C-00007`. */
export function formatCode(prefix: string, n: number, width: number): string {
  return prefix + String(n).padStart(width, '0');
}
