import { lower } from './chars.js';
import { F_FIRST, F_FIRST_COMMON, S_LAST, S_LAST_COMMON, W_COMMON, W_ENGLISH, W_TOOL } from './lexicon-format.js';
import { flagsOfHash, hashRange } from './lexicon.js';

const FNV_PRIME = 0x01000193;
const WORD = W_COMMON | W_TOOL;

/** Score a run-together name needs: one more than a separated pair, as nothing marks the split. */
export const RUN_TOGETHER_THRESHOLD = 5;

/** The tiers of name-words.ts, on flags alone (3 common, 2 common-and-word or listed, 0 otherwise). */
function tier(flags: number, listed: number, common: number): number {
  const word = (flags & WORD) !== 0;
  if ((flags & common) !== 0) return word ? 2 : 3;
  if ((flags & listed) !== 0) return word || (flags & W_ENGLISH) !== 0 ? 0 : 2;
  return 0;
}

/**
 * `janedoe`, `JOHNSMITH`, `oluwaseunadeyemi`: an unlisted word that splits into a first name and
 * a surname scoring at least {@link RUN_TOGETHER_THRESHOLD} together (tiers as in name-words.ts). The
 * head's hash grows one letter at a time, so each split costs one surname hash (words are at
 * most 24 letters: bounded work per token).
 */
export function runTogether(value: string, s: number, e: number): boolean {
  let h = 0x811c9dc5 | 0;
  for (let i = s; i < e - 3; i++) {
    h = Math.imul(h ^ lower(value.charCodeAt(i)), FNV_PRIME);
    if (i - s < 2) continue;
    const head = tier(flagsOfHash(h), F_FIRST, F_FIRST_COMMON);
    if (head < 2) continue;
    const tail = tier(flagsOfHash(hashRange(value, i + 1, e)), S_LAST, S_LAST_COMMON);
    if (head + tail >= RUN_TOGETHER_THRESHOLD) return true;
  }
  return false;
}
