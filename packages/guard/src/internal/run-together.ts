import { lower } from './chars.js';
import { F_FIRST, F_FIRST_COMMON, S_LAST, S_LAST_COMMON, W_COMMON, W_ENGLISH, W_TOOL } from './lexicon-format.js';
import { flagsOfHash, hashRange } from './lexicon.js';

const FNV_PRIME = 0x01000193;
const WORD = W_COMMON | W_TOOL;
const ENGLISH = W_COMMON | W_ENGLISH;


/** The tiers of name-words.ts, on flags alone (3 common, 2 common-and-word or listed, 0 otherwise). */
function tier(flags: number, listed: number, common: number): number {
  const word = (flags & WORD) !== 0;
  if ((flags & common) !== 0) return word ? 2 : 3;
  if ((flags & listed) !== 0) return word || (flags & W_ENGLISH) !== 0 ? 0 : 2;
  return 0;
}

/**
 * `janedoe`, `JOHNSMITH`, `kevinobrien`, `davidmanders`: an unlisted word that splits into a
 * common first name of four letters or more that is not a word (tier 3) and a listed surname that
 * is not a word, common (1990 top 5,000 or curated) or, after a first name of five letters or
 * more, of four letters or more; and that is not two English words run together. Nothing marks
 * the split, so the bar is higher than for a pair (`luminalai`, `mirapolis` stay words). The
 * head's hash grows one letter at a time, so each split costs one surname hash (words are at
 * most 24 letters: bounded work per token).
 */
export function runTogether(value: string, s: number, e: number): boolean {
  let h = 0x811c9dc5 | 0;
  for (let i = s; i < e - 3; i++) {
    h = Math.imul(h ^ lower(value.charCodeAt(i)), FNV_PRIME);
    const head = flagsOfHash(h);
    const tail = flagsOfHash(hashRange(value, i + 1, e));
    // Two English words run together (`datastore`, `ratebook`) are a compound, not a name.
    if (i - s >= 1 && (head & ENGLISH) !== 0 && (tail & ENGLISH) !== 0) return false;
    if (i - s < 3) continue;
    if (tier(head, F_FIRST, F_FIRST_COMMON) !== 3) continue;
    const t = tier(tail, S_LAST, S_LAST_COMMON);
    // A common surname after any common first name (`kevinobrien`); a rarer one only after a
    // first name of five letters or more (`davidmanders`), as short heads split invented words.
    if (t >= 2 && ((tail & S_LAST_COMMON) !== 0 || (i - s >= 4 && e - i - 1 >= 4))) return true;
  }
  return false;
}
