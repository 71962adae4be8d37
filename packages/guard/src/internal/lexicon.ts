import { gunzipSync } from 'node:zlib';
import { lower } from './chars.js';
import { FNV_OFFSET, TRIGRAM_SIZE, trigramIndex } from './lexicon-format.js';
import { NAME_DATA } from './name-data.js';

/**
 * The bundled lexicon: 32-bit FNV-1a hashes of 257,000 words with 12 flag bits each, bucketed
 * by their high 16 bits. The package ships the hashes, not the words: building a `Map` of the
 * strings takes 80+ ms, whereas this layout is read in place after one gunzip and one prefix sum
 * over 65,536 bucket sizes, and a lookup hashes the token's characters straight from the value
 * and compares about four 16-bit entries. Two different words share a 32-bit hash with
 * probability about n / 2^32 (6e-5 per lookup): a stray collision can only make an unknown word
 * read as a listed one, which the name model still weighs against its shape and partner.
 */
type Table = {
  /** The unpacked data (layout: test/tools/build-name-data.ts). */
  bytes: Uint8Array;
  /** `start[p]`: index of the first hash whose high 16 bits are `p`; `start[65536]` = count. */
  start: Int32Array;
  count: number;
  /** Byte offsets of the low-16-bit plane and the two flag planes. */
  low: number;
  flagsLo: number;
  flagsHi: number;
  trigrams: Uint8Array;
};

let table: Table | undefined;

const FNV_PRIME = 0x01000193;
const BUCKETS = 65536;

/** FNV-1a over `value[s..e)`, ASCII-lower-cased, continuing from `h`. */
export function hashRange(value: string, s: number, e: number, h = FNV_OFFSET): number {
  for (let i = s; i < e; i++) h = Math.imul(h ^ lower(value.charCodeAt(i)), FNV_PRIME);
  return h;
}

/** The hash of a space, for eponym pairs `a b`. */
export function hashSpace(h: number): number {
  return Math.imul(h ^ 32, FNV_PRIME);
}

function load(): Table {
  const bytes = gunzipSync(Buffer.from(NAME_DATA, 'base64'));
  const count = ((bytes[0] ?? 0) | ((bytes[1] ?? 0) << 8) | ((bytes[2] ?? 0) << 16) | ((bytes[3] ?? 0) << 24)) >>> 0;
  const start = new Int32Array(BUCKETS + 1);
  let n = 0;
  for (let p = 0; p < BUCKETS; p++) {
    start[p] = n;
    n += bytes[4 + p] ?? 0;
  }
  start[BUCKETS] = n;
  const low = 4 + BUCKETS;
  const flagsLo = low + 2 * count;
  const flagsHi = flagsLo + count;
  const tri = flagsHi + count;
  return { bytes, start, count, low, flagsLo, flagsHi, trigrams: bytes.subarray(tri, tri + TRIGRAM_SIZE) };
}

function get(): Table {
  return (table ??= load());
}

/** Flag bits (lexicon-format.ts) of the word with hash `h`; 0 when it is not listed. */
export function flagsOfHash(h: number): number {
  const t = get();
  const hi = h >>> 16;
  const lo = h & 0xffff;
  const b = t.bytes;
  const end = t.start[hi + 1] ?? 0;
  for (let k = t.start[hi] ?? 0; k < end; k++) {
    const at = t.low + 2 * k;
    if (((b[at] ?? 0) | ((b[at + 1] ?? 0) << 8)) === lo) return (b[t.flagsLo + k] ?? 0) | ((b[t.flagsHi + k] ?? 0) << 8);
  }
  return 0;
}

/** Flag bits of `value[s..e)` (any case). */
export function flagsOf(value: string, s: number, e: number): number {
  return flagsOfHash(hashRange(value, s, e));
}

/**
 * Mean trigram log-odds (in eighths) that `value[s..e)` is spelled like a personal name rather
 * than an English or tool word: positive reads as a name (`okonkwo` +9), negative as a word.
 */
export function nameSpelling(value: string, s: number, e: number): number {
  const tri = get().trigrams;
  let a = 0;
  let b = 0;
  let sum = 0;
  let n = 0;
  for (let i = s; i <= e; i++) {
    const c = i < e ? lower(value.charCodeAt(i)) - 96 : 0;
    if (c < 0 || c > 26) return -128;
    if (i > s) {
      sum += (tri[trigramIndex(a, b, c)] ?? 128) - 128;
      n++;
    }
    a = b;
    b = c;
  }
  return n === 0 ? -128 : sum / n;
}

/** Decodes the lexicon now (it is otherwise decoded on first use); for load-time measurement. */
export function warmLexicon(): void {
  get();
}
