// Seeded randomness for the corpus generator: the committed corpus is reproducible.

/** A seeded generator (mulberry32) with the helpers the corpus templates use. */
export type Rng = {
  next(): number;
  int(lo: number, hi: number): number;
  pick<T>(xs: readonly T[]): T;
  chance(p: number): boolean;
  digits(n: number): string;
  hex(n: number): string;
  chars(alphabet: string, n: number): string;
};

/** Creates a generator from a 32-bit seed. */
export function createRng(seed: number): Rng {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (lo: number, hi: number): number => lo + Math.floor(next() * (hi - lo + 1));
  const chars = (alphabet: string, n: number): string => {
    let s = '';
    for (let i = 0; i < n; i++) s += alphabet[int(0, alphabet.length - 1)];
    return s;
  };
  return {
    next,
    int,
    pick: <T>(xs: readonly T[]): T => xs[int(0, xs.length - 1)] as T,
    chance: (p: number) => next() < p,
    digits: (n: number) => chars('0123456789', n),
    hex: (n: number) => chars('0123456789abcdef', n),
    chars,
  };
}

/** Picks from a frequency table by weight (cumulative weights, binary search). */
export function weighted(rng: Rng, names: readonly string[], cumulative: readonly number[]): string {
  const total = cumulative[cumulative.length - 1] ?? 1;
  const x = rng.next() * total;
  let lo = 0;
  let hi = cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((cumulative[mid] ?? 0) < x) lo = mid + 1;
    else hi = mid;
  }
  return names[lo] ?? '';
}
