import { codeAt, isLower, isUpper } from './chars.js';
import { labelBefore } from './context.js';
import { report, type Findings } from './findings.js';
import { L_NAME, L_TITLE, labelOf, isConnector } from './labels.js';
import { isAnyFirstName, isCommonLastName, isFirstName, isLastName, isNotName, mayStartWithFirstName } from './name-lists.js';
import { ALPHA, type Scan } from './scan.js';

/** Characters that join the parts of a name in keys and text: `jane-doe`, `jane_doe`, `jane.doe`, `Jane Doe`. */
function isNameJoin(c: number): boolean {
  return c === 45 || c === 95 || c === 46 || c === 32;
}

/** True when tokens `a` and `b` (a < b) are adjacent parts of one name: glued (camelCase) or one joiner apart (`Q. Doe` allows two). */
function joined(scan: Scan, a: number, b: number): boolean {
  if (scan.kind[b] !== ALPHA || scan.words[b] === undefined) return false;
  const gapStart = scan.end[a] ?? 0;
  const gapEnd = scan.start[b] ?? 0;
  const gap = gapEnd - gapStart;
  if (gap === 0) {
    // Glued: only a camelCase hump separates names (`JaneDoe`), never a run of one case.
    return isUpper(codeAt(scan.value, gapEnd)) && scan.seg[a] === scan.seg[b];
  }
  if (gap === 1) return isNameJoin(scan.value.charCodeAt(gapStart));
  // `Q. Doe`, and the same after slugging: `q.-doe`, `q._doe`.
  if (gap === 2) return scan.value.charCodeAt(gapStart) === 46 && isNameJoin(scan.value.charCodeAt(gapStart + 1));
  return false;
}

function hasVowel(word: string): boolean {
  for (let i = 0; i < word.length; i++) if ('aeiouy'.indexOf(word.charAt(i)) >= 0) return true;
  return false;
}

/**
 * A word that can stand as a surname after a first name: a bundled surname, or any
 * pronounceable word of three letters or more that is not infrastructure vocabulary, a
 * label or a connector (used for middle names and after titles).
 */
function surnameLike(word: string | undefined): boolean {
  if (word === undefined || word.length < 2) return false;
  if (isLastName(word)) return true;
  return unknownSurname(word);
}

function unknownSurname(word: string): boolean {
  return word.length >= 3 && hasVowel(word) && !isNotName(word) && labelOf(word) === 0 && !isConnector(word);
}

/**
 * A word not in the lists is taken for a surname only if it is pronounceable: at least a
 * third vowels (y counted) and no more than three consonants in a row (`Rodkey`, `Okafor`,
 * not `Cvlctopl` or `Mihd` from an encoded id).
 */
function pronounceable(word: string): boolean {
  let vowels = 0;
  let run = 0;
  for (let i = 0; i < word.length; i++) {
    if ('aeiouy'.indexOf(word.charAt(i)) >= 0) {
      vowels++;
      run = 0;
    } else if (++run > 3) return false;
  }
  return word.length >= 4 && vowels * 3 >= word.length;
}

/** An unlisted word after a title reads as a name when written like one: `Dr. Okafor`, `dr-okafor`, `DR OKAFOR`. */
function sameStyle(scan: Scan, t: number): boolean {
  const s = scan.start[t] ?? 0;
  const allLower = !isUpper(scan.value.charCodeAt(s)) && singleCase(scan, t);
  return allLower || titleCase(scan, t) || (singleCase(scan, t) && isUpper(codeAt(scan.value, (scan.start[t - 1] ?? 0) + 1)));
}

function allCaps(scan: Scan, t: number): boolean {
  const s = scan.start[t] ?? 0;
  return (scan.end[t] ?? 0) - s > 1 && isUpper(scan.value.charCodeAt(s)) && isUpper(scan.value.charCodeAt(s + 1));
}

/** True when token `t` is written `Rodkey`: one capital, then lower case. */
function titleCase(scan: Scan, t: number): boolean {
  const s = scan.start[t] ?? 0;
  const e = scan.end[t] ?? 0;
  if (!isUpper(scan.value.charCodeAt(s))) return false;
  for (let i = s + 1; i < e; i++) if (!isLower(scan.value.charCodeAt(i))) return false;
  return e - s > 1;
}

/** True when `t` is capitalised or upper case in the original text (`Avance`, `AVANCE`). */
function capitalised(scan: Scan, t: number): boolean {
  return isUpper(codeAt(scan.value, scan.start[t] ?? 0));
}

/** Capitalised or single-case token (a run-together name is `janedoe` or `JANEDOE`, not `jaNEdoe`). */
function singleCase(scan: Scan, t: number): boolean {
  const s = scan.start[t] ?? 0;
  const e = scan.end[t] ?? 0;
  const v = scan.value;
  let lower = 0;
  for (let i = s + 1; i < e; i++) if (isLower(v.charCodeAt(i))) lower++;
  return lower === 0 || lower === e - s - 1;
}

// English derivational endings: `translate`, `sharing`, `transmission` split into a first
// name and a surname (`tran`+`slate`) but are words, not names.
const ENGLISH_ENDINGS = ['ing', 'tion', 'sion', 'ment', 'ness', 'able', 'ible', 'ate', 'ize', 'ise', 'ity', 'ous', 'ive', 'ful', 'less', 'ship', 'ical', 'ator', 'ized', 'ency', 'ance', 'ence', 'ware', 'ject'];

function englishWord(word: string): boolean {
  for (const ending of ENGLISH_ENDINGS) if (word.length > ending.length + 2 && word.endsWith(ending)) return true;
  return false;
}

/** `janedoe`, `JOHNSMITH`, `robinrodriguez`: a first name and a known surname with nothing between them. */
function runTogether(word: string): boolean {
  if (!mayStartWithFirstName(word) || englishWord(word)) return false;
  for (let i = 3; i <= word.length - 3 && i <= 12; i++) {
    const head = word.slice(0, i);
    if (!isFirstName(head)) continue;
    // A first name that is also a word (`max`, `grace`) needs a longer surname after it.
    const tail = word.slice(i);
    // Only a first name that is not also a word (`markdown`, `starlight` stay words).
    // A rarer surname also needs a first name of four letters or more (`wendyknee`), since
    // short heads split ordinary words (`man`+`ager`).
    if (isFirstName(head) && tail.length >= 3 && (isCommonLastName(tail) || (i >= 4 && isLastName(tail)))) return true;
  }
  return false;
}

/** End token of a name that starts at `t` with a first name, or -1. */
function forwardName(scan: Scan, t: number, strongFirst: boolean): number {
  const n = scan.count;
  let u = t + 1;
  if (u >= n || !joined(scan, t, u)) return -1;
  const w2 = scan.words[u] as string;
  // Middle initial or middle name: `jane-q-doe`, `mary-ann-smith`, `Carl N. Hernandez`.
  if ((w2.length === 1 || isFirstName(w2)) && u + 1 < n && joined(scan, u, u + 1) && surnameLike(scan.words[u + 1])) u++;
  const last = scan.words[u];
  // A first name that is also a word (`max`, `grace`) needs a common surname of four letters
  // or more after it: `max-lunsford`, but not `art-suite` or `max-retries`.
  // In prose a capitalised word before a lower-case one starts a sentence or a title
  // (`Sterling bank statements`), whereas names keep one casing: `Jane Doe`, `jane-doe`.
  if (capitalised(scan, t) && !capitalised(scan, u) && scan.value.charCodeAt((scan.end[u - 1] ?? 0)) === 32) return -1;
  if (last !== undefined && last.length >= 3 && (strongFirst ? isLastName(last) : last.length >= 4 && isCommonLastName(last))) return u;
  // An unlisted surname needs the first name's casing: `Jane Rodkey`, `jane-rodkey`, but not
  // `Austin office` or `Julia notebooks`, where a capitalised word starts plain prose.
  // An unlisted surname (about 5% of people) counts only in camelCase (`JaneRodkey`), where
  // the hump is the evidence; `sol-compiler` or `Austin office` are a first name and a word.
  const glued = (scan.start[u] ?? 0) === (scan.end[u - 1] ?? 0);
  if (strongFirst && last !== undefined && glued && titleCase(scan, u) && !allCaps(scan, t) && unknownSurname(last) && pronounceable(last) && !englishWord(last)) return u;
  return -1;
  return -1;
}

/**
 * Person names from the bundled census lists:
 * - a first name followed by a surname-like word (optionally a middle initial or name):
 *   `jane-doe`, `Jane_Q_Doe`, `JaneDoe`, `JANE.DOE`; a first name that is also a word
 *   (`max`, `grace`) only with a bundled surname after it (`max-lunsford`, not `max-retries`);
 * - a surname then a first name: `doe-jane`, `Doe, Jane`, `DOE^JANE` (HL7 order);
 * - a name after a person label (`patient-smith`) or a title (`Dr. Okafor`);
 * - a first name and a surname run together: `janedoe`.
 */
export function detectNames(scan: Scan, out: Findings): void {
  const n = scan.count;
  for (let t = 0; t < n; t++) {
    const w = scan.words[t];
    if (w === undefined || w.length < 2) continue;
    const strong = isFirstName(w);
    if (strong || isAnyFirstName(w)) {
      const u = forwardName(scan, t, strong);
      if (u > 0) {
        report(out, 'name', scan.start[t] ?? 0, scan.end[u] ?? 0);
        t = u;
        continue;
      }
    }
    if (t + 1 < n && scan.kind[t + 1] === ALPHA && !isNotName(w)) {
      const gapStart = scan.end[t] ?? 0;
      const c = codeAt(scan.value, gapStart);
      const gap = (scan.start[t + 1] ?? 0) - gapStart;
      const comma = (c === 44 && (gap === 1 || (gap === 2 && codeAt(scan.value, gapStart + 1) === 32))) || (c === 94 && gap === 1);
      const next = scan.words[t + 1] ?? '';
      const known = isCommonLastName(w) && !isFirstName(w);
      const reversed = comma
        ? isFirstName(next) && (known || (unknownSurname(w) && capitalised(scan, t) && capitalised(scan, t + 1)))
        : known && isFirstName(next) && joined(scan, t, t + 1) && w.length >= 4;
      if (reversed) {
        report(out, 'name', scan.start[t] ?? 0, scan.end[t + 1] ?? 0);
        t++;
        continue;
      }
    }
    const label = labelBefore(scan, t, 2);
    const titled = (label & L_TITLE) !== 0 && (isLastName(w) || (unknownSurname(w) && pronounceable(w) && sameStyle(scan, t)));
    if ((label & L_NAME) !== 0 && w.length >= 3 && (isFirstName(w) || isCommonLastName(w) || titled)) {
      let u = t;
      while (u + 1 < n && joined(scan, u, u + 1) && (isFirstName(scan.words[u + 1] ?? '') || isLastName(scan.words[u + 1] ?? ''))) u++;
      report(out, 'name', scan.start[t] ?? 0, scan.end[u] ?? 0);
      t = u;
      continue;
    }
    if (w.length >= 7 && singleCase(scan, t) && !isLastName(w) && !isAnyFirstName(w) && !isNotName(w) && runTogether(w)) {
      report(out, 'name', scan.start[t] ?? 0, scan.end[t] ?? 0);
    }
  }
}
