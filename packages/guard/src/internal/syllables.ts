/**
 * Romanised East Asian given names are built from a small syllable inventory: Hanyu Pinyin
 * (`jia`+`hao`, `zi`+`han`) and the Korean spellings in use in US records (`seung`+`woo`,
 * `young`+`hee`, `byung`+`ho`). A word outside every list that splits wholly into two or three
 * such syllables is spelled like such a name. The inventory is generated from onsets, vowels
 * and codas (it over-generates a little; it is asked only about words no list knows).
 */
const ONSETS = ['', 'b', 'p', 'm', 'f', 'd', 't', 'n', 'l', 'g', 'k', 'h', 'j', 'q', 'x', 'zh', 'ch', 'sh', 'r', 'z', 'c', 's', 'y', 'w', 'by', 'hy', 'ky', 'gy', 'my', 'py', 'ny', 'jj', 'kk', 'ss'];
const VOWELS = ['a', 'ae', 'ai', 'ao', 'e', 'ei', 'eo', 'eu', 'i', 'ia', 'iao', 'ie', 'iu', 'o', 'oe', 'oo', 'ou', 'u', 'ua', 'uai', 'ue', 'ui', 'uo', 'ee', 'ya', 'yae', 'yeo', 'ye', 'yo', 'yu', 'wa', 'wae', 'we', 'wi', 'wo', 'iang', 'iong', 'uang'];
const CODAS = ['', 'n', 'ng', 'm', 'l', 'k', 'p'];

let inventory: Set<string> | undefined;

function build(): Set<string> {
  const set = new Set<string>();
  for (const o of ONSETS) for (const v of VOWELS) for (const c of CODAS) set.add(o + v + c);
  return set;
}

/** Longest syllable in the inventory. */
const MAX_SYLLABLE = 7;

/**
 * True when `word` (lower case, 4-12 letters) splits into 2 or 3 inventory syllables, each of
 * two letters or more. Bounded dynamic programme: at most 12 x 7 lookups.
 */
export function syllabicName(word: string): boolean {
  const n = word.length;
  if (n < 4 || n > 12) return false;
  const syl = (inventory ??= build());
  // best[i]: fewest syllables covering word[0..i), or 9 when impossible.
  const best = [0, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9];
  for (let i = 2; i <= n; i++) {
    for (let l = 2; l <= MAX_SYLLABLE && l <= i; l++) {
      const prev = best[i - l] ?? 9;
      if (prev < 9 && prev + 1 < (best[i] ?? 9) && syl.has(word.slice(i - l, i))) best[i] = prev + 1;
    }
  }
  const k = best[n] ?? 9;
  return k >= 2 && k <= 3;
}
