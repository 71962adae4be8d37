import { codeAt, isLower, isUpper } from './chars.js';
import { labelBefore } from './context.js';
import { report, type Findings } from './findings.js';
import { L_NAME, labelOf, isConnector } from './labels.js';
import { isFirstName, isLastName, isNotName, mayStartWithFirstName } from './name-lists.js';
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
  if (gap === 2) return scan.value.charCodeAt(gapStart) === 46 && scan.value.charCodeAt(gapStart + 1) === 32;
  return false;
}

/** A word that can stand as a surname after a first name: a bundled surname, or any word that is not infrastructure vocabulary. */
function surnameLike(word: string | undefined): boolean {
  if (word === undefined || word.length < 2) return false;
  if (isLastName(word)) return true;
  return !isNotName(word) && !isFirstNameOnlyWord(word) && labelOf(word) === 0 && !isConnector(word);
}

/** Words that are too short or too generic to be an unknown surname. */
function isFirstNameOnlyWord(word: string): boolean {
  return word.length < 3;
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

/** `janedoe`, `JOHNSMITH`: a first name and a surname with nothing between them. */
function runTogether(word: string): boolean {
  if (!mayStartWithFirstName(word)) return false;
  for (let i = 3; i <= word.length - 3 && i <= 12; i++) {
    if (isFirstName(word.slice(0, i)) && isLastName(word.slice(i))) return true;
  }
  return false;
}

/**
 * Person names from the bundled census lists:
 * - a first name followed by a surname-like word (optionally a middle initial or name):
 *   `jane-doe`, `Jane_Q_Doe`, `JaneDoe`, `JANE.DOE`;
 * - a surname, a comma or caret, then a first name: `Doe, Jane`, `DOE^JANE` (HL7 order);
 * - a first name or surname right after a person label: `patient-smith`, `dr_jones`;
 * - a first name and a surname run together: `janedoe`.
 */
export function detectNames(scan: Scan, out: Findings): void {
  const n = scan.count;
  for (let t = 0; t < n; t++) {
    const w = scan.words[t];
    if (w === undefined || w.length < 2) continue;
    if (isFirstName(w)) {
      let u = t + 1;
      if (u < n && joined(scan, t, u)) {
        const w2 = scan.words[u] as string;
        // Middle initial or middle name: `jane-q-doe`, `mary-ann-smith`.
        if ((w2.length === 1 || isFirstName(w2)) && u + 1 < n && joined(scan, u, u + 1) && surnameLike(scan.words[u + 1])) u++;
        if (surnameLike(scan.words[u])) {
          report(out, 'name', scan.start[t] ?? 0, scan.end[u] ?? 0);
          t = u;
          continue;
        }
      }
    }
    if (isLastName(w) && t + 1 < n && scan.kind[t + 1] === ALPHA) {
      const gapStart = scan.end[t] ?? 0;
      const c = codeAt(scan.value, gapStart);
      const gap = (scan.start[t + 1] ?? 0) - gapStart;
      const reversed = (c === 44 && (gap === 1 || (gap === 2 && codeAt(scan.value, gapStart + 1) === 32))) || (c === 94 && gap === 1);
      if (reversed && isFirstName(scan.words[t + 1] ?? '')) {
        report(out, 'name', scan.start[t] ?? 0, scan.end[t + 1] ?? 0);
        t++;
        continue;
      }
    }
    if ((isFirstName(w) || isLastName(w)) && (labelBefore(scan, t, 2) & L_NAME) !== 0) {
      let u = t;
      while (u + 1 < n && joined(scan, u, u + 1) && (isFirstName(scan.words[u + 1] ?? '') || isLastName(scan.words[u + 1] ?? ''))) u++;
      report(out, 'name', scan.start[t] ?? 0, scan.end[u] ?? 0);
      t = u;
      continue;
    }
    if (w.length >= 6 && singleCase(scan, t) && !isLastName(w) && !isFirstName(w) && runTogether(w)) {
      report(out, 'name', scan.start[t] ?? 0, scan.end[t] ?? 0);
    }
  }
}
