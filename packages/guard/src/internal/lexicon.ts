import { gunzipSync } from 'node:zlib';
import { lower } from './chars.js';
import { TRIGRAM_SIZE, trigramIndex } from './lexicon-format.js';
import { NAME_DATA } from './name-data.js';

/**
 * The bundled lexicon as an open-addressing hash table of 32-bit FNV-1a hashes with 12 flag
 * bits each. Building a `Map` of 257,000 strings takes 80+ ms; hashing the unpacked text in
 * place takes a fraction of that and allocates no strings, and a lookup hashes the token's
 * characters straight from the checked value. Two different words share a 32-bit hash with
 * probability about n / 2^32 (6e-5 per lookup): a stray collision can only make an unknown word
 * read as a listed one, which the name model still weighs against its shape and partner.
 */
type Table = { keys: Int32Array; flags: Uint16Array; mask: number; trigrams: Uint8Array };

let table: Table | undefined;

const FNV_OFFSET = 0x811c9dc5 | 0;
const FNV_PRIME = 0x01000193;

/** FNV-1a over `value[s..e)`, ASCII-lower-cased, continuing from `h`. */
export function hashRange(value: string, s: number, e: number, h = FNV_OFFSET): number {
  for (let i = s; i < e; i++) h = Math.imul(h ^ lower(value.charCodeAt(i)), FNV_PRIME);
  return h;
}

/** The hash of a space, for eponym pairs `a b`. */
export function hashSpace(h: number): number {
  return Math.imul(h ^ 32, FNV_PRIME);
}

function insert(t: Table, h: number, bits: number): void {
  const key = h === 0 ? 1 : h;
  let i = (key ^ (key >>> 15)) & t.mask;
  for (;;) {
    const k = t.keys[i] ?? 0;
    if (k === 0 || k === key) {
      t.keys[i] = key;
      t.flags[i] = (t.flags[i] ?? 0) | bits;
      return;
    }
    i = (i + 1) & t.mask;
  }
}

function hexDigit(c: number): number {
  return c <= 57 ? c - 48 : c - 87;
}

function load(): Table {
  const text = gunzipSync(Buffer.from(NAME_DATA, 'base64')).toString('latin1');
  const end = text.indexOf('\n\n');
  let lines = 0;
  for (let i = 0; i < end; i++) if (text.charCodeAt(i) === 10) lines++;
  let size = 1;
  while (size < lines * 2) size <<= 1;
  const t: Table = { keys: new Int32Array(size), flags: new Uint16Array(size), mask: size - 1, trigrams: new Uint8Array(TRIGRAM_SIZE) };
  // Front-coded entries: shared-prefix length, suffix, three hex digits of flags. `prefix[k]` is the hash of
  // the first k characters of the previous entry, so each entry hashes only its new suffix.
  const prefix = new Int32Array(48);
  prefix[0] = FNV_OFFSET;
  let i = 0;
  while (i < end) {
    let k = text.charCodeAt(i) - 48;
    let h = prefix[k] ?? FNV_OFFSET;
    let j = i + 1;
    // The flags are the three characters before the newline.
    while (text.charCodeAt(j + 3) !== 10 && j + 3 < end) {
      h = Math.imul(h ^ text.charCodeAt(j), FNV_PRIME);
      if (k < 47) prefix[++k] = h;
      j++;
    }
    insert(t, h, hexDigit(text.charCodeAt(j)) * 256 + hexDigit(text.charCodeAt(j + 1)) * 16 + hexDigit(text.charCodeAt(j + 2)));
    i = j + 4;
  }
  for (let k = 0; k < TRIGRAM_SIZE; k++) t.trigrams[k] = text.charCodeAt(end + 2 + k);
  return t;
}

function get(): Table {
  return (table ??= load());
}

/** Flag bits (lexicon-format.ts) of the word with hash `h`; 0 when it is not listed. */
export function flagsOfHash(h: number): number {
  const t = get();
  const key = h === 0 ? 1 : h;
  let i = (key ^ (key >>> 15)) & t.mask;
  for (;;) {
    const k = t.keys[i] ?? 0;
    if (k === 0) return 0;
    if (k === key) return t.flags[i] ?? 0;
    i = (i + 1) & t.mask;
  }
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
