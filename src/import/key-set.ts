// The keys seen so far in an import file, with the line each was first seen on, in typed arrays:
// 12 bytes a slot instead of a Map of strings (~100 bytes an entry). Sized once from the estimated
// number of rows (at most 80% full), so 500,000 rows cost about 7.5 MB and no growth spike. Keys are
// kept as 64-bit hashes; two different keys in one file share a hash with a probability of about
// n^2 / 2^65 (1 in 100 million for 500,000 keys).

const EMPTY = 0;

/** Two independent 32-bit hashes (FNV-1a with murmur3's finaliser, different seeds) = 64 bits. */
export function hash64(text: string): [number, number] {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  return [fmix(a ^ text.length), fmix(b)];
}

function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

export class KeySet {
  private hi: Uint32Array;
  private lo: Uint32Array;
  /** Line of the first occurrence; 0 marks an empty slot (lines start at 1). */
  private lines: Uint32Array;
  private count = 0;

  /** `expected`: how many keys to make room for at once (more still fit: the table grows by half). */
  constructor(expected = 1024) {
    const size = slotsFor(expected);
    this.hi = new Uint32Array(size);
    this.lo = new Uint32Array(size);
    this.lines = new Uint32Array(size);
  }

  get size(): number {
    return this.count;
  }

  /** Adds `key` first seen on `line`; returns the line of an earlier occurrence, or 0 when new. */
  add(key: string, line: number): number {
    if ((this.count + 1) * 5 > this.lines.length * 4) this.grow();
    const [h, l] = hash64(key);
    const slot = this.find(h, l);
    if (this.lines[slot] !== EMPTY) return this.lines[slot]!;
    this.hi[slot] = h;
    this.lo[slot] = l;
    this.lines[slot] = Math.max(1, line);
    this.count++;
    return 0;
  }

  /** The slot holding (h, l), or the empty slot where it would go (linear probing). */
  private find(h: number, l: number): number {
    const size = this.lines.length;
    // Maps the hash onto [0, size) without a power-of-two table (Lemire's multiply-shift).
    let slot = Math.floor((l * size) / 4294967296);
    while (this.lines[slot] !== EMPTY && (this.hi[slot] !== h || this.lo[slot] !== l)) if (++slot === size) slot = 0;
    return slot;
  }

  private grow(): void {
    const { hi, lo, lines } = this;
    const size = slotsFor(this.count * 1.5);
    this.hi = new Uint32Array(size);
    this.lo = new Uint32Array(size);
    this.lines = new Uint32Array(size);
    for (let i = 0; i < lines.length; i++) {
      if (lines[i] === EMPTY) continue;
      const slot = this.find(hi[i]!, lo[i]!);
      this.hi[slot] = hi[i]!;
      this.lo[slot] = lo[i]!;
      this.lines[slot] = lines[i]!;
    }
  }
}

/** Slots for `n` keys at most 80% full. */
function slotsFor(n: number): number {
  return Math.max(16, Math.ceil((Math.max(n, 1) * 5) / 4) + 1);
}
