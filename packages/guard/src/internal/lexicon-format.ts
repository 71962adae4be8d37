// The layout of the bundled lexicon (name-data.ts), shared by the runtime decoder
// (lexicon.ts) and the build script (test/tools/build-name-data.ts).

/** A first name given to at least 50 US babies since 1920 (SSA), or a curated first name. */
export const F_FIRST = 1;
/** A first name given to at least 10,000 US babies since 1920 (about the top 4,000). */
export const F_FIRST_COMMON = 2;
/** A surname held by at least 100 people in the 2010 census, or a curated surname. */
export const S_LAST = 4;
/** One of the 5,000 most frequent surnames of the 1990 census. */
export const S_LAST_COMMON = 8;
/** An English word (SCOWL size 50 or below). */
export const W_ENGLISH = 16;
/** An everyday English word (SCOWL size 20 or below). */
export const W_COMMON = 32;
/** A tool, product, service, code name or place: a word in infrastructure strings. */
export const W_TOOL = 64;
/** A name from the curated origin lists: a name first, even where it is also an English word (`sun`, `moon`, `fang`). */
export const CURATED = 128;
/** A first name given to at least 100,000 US babies since 1920 (about the top 1,000). */
export const F_FIRST_TOP = 256;
/** One of the 1,000 most frequent surnames of the 1990 census. */
export const S_LAST_TOP = 512;
/** An entry `a b`: two adjacent words that name a method, firm or institution, not a person. */
export const W_EPONYM = 64 | 32 | 16;

/** Trigram alphabet: 0 is the word boundary, 1-26 are a-z. */
export const TRIGRAM_SIZE = 27 * 27 * 27;

/** Trigram table index of three symbols (0 boundary, 1-26 letters). */
export function trigramIndex(a: number, b: number, c: number): number {
  return a * 729 + b * 27 + c;
}

const FNV_PRIME = 0x01000193;
/** FNV-1a offset basis (32-bit). */
export const FNV_OFFSET = 0x811c9dc5 | 0;

/** FNV-1a (32-bit) of a lower-case ASCII word: the key the lexicon stores instead of the word. */
export function hashWord(word: string): number {
  let h = FNV_OFFSET;
  for (let i = 0; i < word.length; i++) h = Math.imul(h ^ word.charCodeAt(i), FNV_PRIME);
  return h;
}
