import { codeAt, isDigit, isLower, isUpper } from './chars.js';
import { labelBefore } from './context.js';
import { report, type Findings } from './findings.js';
import { L_MONTH, L_NAME, L_PERSON, L_TITLE } from './labels.js';
import { W_EPONYM } from './lexicon-format.js';
import { flagsOfHash, hashRange, hashSpace } from './lexicon.js';
import { pronounceable, scoreWordCached, type WordScore } from './name-words.js';
import { runTogether } from './run-together.js';
import { ALPHA, DIGIT, type Scan } from './scan.js';
import { S_NAME_LABEL } from './tag-bits.js';

/**
 * Score a candidate name needs (see docs/guard.md, "The name model"): the first-name evidence
 * of one token plus the surname evidence of the other (each 0-3), plus the shape and context
 * bonuses. 4 = two listed names, or a common name and a name-spelled unknown word.
 */
export const NAME_THRESHOLD = 4;

/** Particles that sit between a given name and a surname: Arabic, Dutch, German, Romance. */
const PARTICLES = new Set(['al', 'el', 'bin', 'ibn', 'abu', 'van', 'von', 'de', 'del', 'della', 'da', 'di', 'dos', 'das', 'du', 'le', 'la', 'st', 'ter', 'ten', 'mac', 'mc']);

/** Characters that join the parts of a name in keys and text: `jane-doe`, `jane_doe`, `jane.doe`, `Jane Doe`, `O'Connor`. */
function isNameJoin(c: number): boolean {
  return c === 45 || c === 95 || c === 46 || c === 32 || c === 39 || c === 8217;
}

/** True when tokens `a` and `b` (a < b) are adjacent parts of one name: glued (camelCase) or one joiner apart (`Q. Doe` allows two). */
function joined(scan: Scan, a: number, b: number): boolean {
  if (b >= scan.count || scan.kind[b] !== ALPHA || scan.words[b] === undefined) return false;
  const gapStart = scan.end[a] ?? 0;
  const gapEnd = scan.start[b] ?? 0;
  const gap = gapEnd - gapStart;
  if (gap === 0) return isUpper(codeAt(scan.value, gapEnd)) && scan.seg[a] === scan.seg[b];
  if (gap === 1) return isNameJoin(scan.value.charCodeAt(gapStart));
  if (gap === 2) return scan.value.charCodeAt(gapStart) === 46 && isNameJoin(scan.value.charCodeAt(gapStart + 1));
  return false;
}

/** `Doe, Jane` or `DOE^JANE` (HL7): the surname first, marked by the separator. */
function reversedJoin(scan: Scan, a: number): boolean {
  const gapStart = scan.end[a] ?? 0;
  const gap = (scan.start[a + 1] ?? 0) - gapStart;
  const c = codeAt(scan.value, gapStart);
  return (c === 44 && (gap === 1 || (gap === 2 && codeAt(scan.value, gapStart + 1) === 32))) || (c === 94 && gap === 1);
}

/** A partner for a two-letter name: a common name, or an unlisted word spelled strongly like one (`taehyun`). */
function strongPartner(w: WordScore): boolean {
  const best = Math.max(w.first, w.last);
  return best >= 3 || (w.unknown && best >= 2);
}

function short(scan: Scan, t: number): boolean {
  return (scan.end[t] ?? 0) - (scan.start[t] ?? 0) === 2;
}

function capitalised(scan: Scan, t: number): boolean {
  return isUpper(codeAt(scan.value, scan.start[t] ?? 0));
}

/** True when `t` is written `Rodkey`: one capital, then lower case. */
function titleCase(scan: Scan, t: number): boolean {
  const s = scan.start[t] ?? 0;
  const e = scan.end[t] ?? 0;
  if (!isUpper(scan.value.charCodeAt(s))) return false;
  for (let i = s + 1; i < e; i++) if (!isLower(scan.value.charCodeAt(i))) return false;
  return e - s > 1;
}

/** Capitalised or single-case token (a run-together name is `janedoe` or `JANEDOE`, not `jaNEdoe`). */
function singleCase(scan: Scan, t: number): boolean {
  const s = scan.start[t] ?? 0;
  const e = scan.end[t] ?? 0;
  let lowers = 0;
  for (let i = s + 1; i < e; i++) if (isLower(scan.value.charCodeAt(i))) lowers++;
  return lowers === 0 || lowers === e - s - 1;
}

/** An unlisted word after a title reads as a name when written like one: `Dr. Okafor`, `dr-okafor`, `DR OKAFOR`. */
function sameStyle(scan: Scan, t: number): boolean {
  const allLower = !capitalised(scan, t) && singleCase(scan, t);
  return allLower || titleCase(scan, t) || (singleCase(scan, t) && isUpper(codeAt(scan.value, (scan.start[t - 1] ?? 0) + 1)));
}

// Per-token scores of one check, reused across calls like the scan's buffers.
const scores: WordScore[] = [];

function scoresFor(scan: Scan): WordScore[] {
  while (scores.length < scan.count) scores.push({ first: 0, last: 0, wordish: true, unknown: false, tool: false });
  for (let t = 0; t < scan.count; t++) {
    const sc = scores[t] as WordScore;
    const w = scan.words[t];
    if (w === undefined || scan.kind[t] !== ALPHA || w.length < 2) {
      sc.first = 0;
      sc.last = 0;
      sc.wordish = true;
      sc.unknown = false;
    } else {
      scoreWordCached(scan.value, scan.start[t] ?? 0, scan.end[t] ?? 0, w, sc);
      // An unlisted word glued to digits is a fragment of a generated id (`bucketz9gc945`).
      if (sc.unknown && (isDigit(codeAt(scan.value, scan.end[t] ?? 0)) || isDigit(codeAt(scan.value, (scan.start[t] ?? 0) - 1)))) sc.first = sc.last = 0;
    }
  }
  return scores;
}

/** True when `a b` is a listed eponym (`mann whitney`, `kaplan meier`, `baylor scott`). */
function eponym(scan: Scan, a: number, b: number): boolean {
  const h = hashRange(scan.value, scan.start[b] ?? 0, scan.end[b] ?? 0, hashSpace(hashRange(scan.value, scan.start[a] ?? 0, scan.end[a] ?? 0)));
  return (flagsOfHash(h) & W_EPONYM) === W_EPONYM;
}

/**
 * Name score of tokens `a` .. `b` read as one name (`a` first or surname, `b` the other), or
 * -1 when the shape rules it out (an eponym, prose casing, a glued run of one case).
 */
function pairScore(scan: Scan, sc: WordScore[], a: number, b: number, middle: boolean, reversed: boolean): number {
  const x = sc[a] as WordScore;
  const y = sc[b] as WordScore;
  if (x.unknown && y.unknown) return -1;
  // A two-letter name (`Li`, `Vu`, `Oh`) counts only beside a common name: `la-carte` is French.
  if (short(scan, a) ? !strongPartner(y) : short(scan, b) && !strongPartner(x)) return -1;
  // In prose a capitalised word before a lower-case one starts a sentence or a title
  // (`Sterling bank statements`), whereas names keep one casing: `Jane Doe`, `jane-doe`.
  const gap = scan.value.charCodeAt(scan.end[b - 1] ?? 0);
  if (capitalised(scan, a) && !capitalised(scan, b) && gap === 32) return -1;
  // Both parts need some evidence of their own: a bonus never makes a name of a word.
  const forward = Math.min(x.first, y.last) >= 1 ? x.first + y.last : 0;
  const backward = Math.min(x.last, y.first) >= 1 ? x.last + y.first : 0;
  let score = reversed ? backward + 1 : Math.max(forward, backward);
  if (score <= 1) return -1;
  // Two everyday words that are also names (`forest-green`, `holly-berry`, `sterling-silver`)
  // need one more piece of evidence than a pair with a word that is only a name.
  if (x.wordish && y.wordish) score--;
  if (middle) score++;
  if (!reversed && gap === 32 && titleCase(scan, a) && titleCase(scan, b)) score++;
  if ((scan.shape & S_NAME_LABEL) !== 0 && (labelBefore(scan, a, 2) & L_NAME) !== 0) score += 2;
  // An eponym (`mann whitney`, `kaplan meier`) is no name: asked last, as it hashes both words.
  return eponym(scan, a, b) ? -1 : score;
}

/** End token of a name starting at `t` (first-last, last-first, with a middle initial or name), or -1. */
function nameAt(scan: Scan, sc: WordScore[], t: number): number {
  const u = t + 1;
  if (u < scan.count && scan.kind[u] === ALPHA && scan.words[u] !== undefined && reversedJoin(scan, t)) {
    // `Boston, MA`: two capitals after a comma are a state code, not a given name.
    if ((scan.end[u] ?? 0) - (scan.start[u] ?? 0) === 2 && isUpper(codeAt(scan.value, (scan.start[u] ?? 0) + 1)) && !isUpper(codeAt(scan.value, (scan.start[t] ?? 0) + 1))) return -1;
    return pairScore(scan, sc, t, u, false, true) >= NAME_THRESHOLD ? u : -1;
  }
  if (!joined(scan, t, u)) return -1;
  const end = forwardNameAt(scan, sc, t, u);
  // An eponym is no name whatever follows it: asked only of a name found, as it hashes both words.
  return end > 0 && eponym(scan, t, u) ? -1 : end;
}

/** End token of a name whose first two tokens `t`, `u` are joined (see {@link nameAt}), or -1. */
function forwardNameAt(scan: Scan, sc: WordScore[], t: number, u: number): number {
  const mid = sc[u] as WordScore;
  // A middle initial or middle name: `jane-q-doe`, `mary-ann-smith`, `Carl N. Hernandez`.
  if (joined(scan, u, u + 1)) {
    // A surname particle between (`mohammed_al-rashid`, `maria-de-la-cruz` reads `de` then `la-cruz`).
    if (PARTICLES.has(scan.words[u] ?? '') && pairScore(scan, sc, t, u + 1, false, false) >= NAME_THRESHOLD) return u + 1;
    const initial = (scan.end[u] ?? 0) - (scan.start[u] ?? 0) === 1;
    if ((initial || (mid.first >= 2 && !mid.wordish && !eponym(scan, u, u + 1))) && pairScore(scan, sc, t, u + 1, true, false) >= NAME_THRESHOLD) return u + 1;
  }
  if (pairScore(scan, sc, t, u, false, false) < NAME_THRESHOLD) return -1;
  // A three-part name ending in a surname (`maria-garcia-lopez`) is one finding.
  if (joined(scan, u, u + 1) && (sc[u + 1] as WordScore).last >= 2 && !(sc[u + 1] as WordScore).wordish && !eponym(scan, u, u + 1)) return u + 1;
  return u;
}

/** A person token (`patient`, `pt`, `member`, `guarantor`, …) among the three tokens before `t`. */
function personBefore(scan: Scan, t: number): boolean {
  for (let k = t - 1; k >= 0 && k >= t - 3; k--) if (((scan.label[k] ?? 0) & L_PERSON) !== 0 || scan.words[k] === 'patients') return true;
  return false;
}

/** A single name after a person label (`patient-okafor`, `Owner=Adeyemi`) or a title (`Dr. Okafor`). */
function labelledName(scan: Scan, sc: WordScore[], t: number): boolean {
  const w = scan.words[t] ?? '';
  if (w.length < 3 || (scan.shape & S_NAME_LABEL) === 0) return false;
  const label = labelBefore(scan, t, 2);
  if ((label & L_NAME) === 0) return false;
  const s = sc[t] as WordScore;
  // `member_id_est248718396`: a word glued to digits after a label is the id's prefix.
  if (isDigit(codeAt(scan.value, scan.end[t] ?? 0))) return false;
  // `patient-Jun 13, 2015`: a month before a day is a date, not a given name.
  if (((scan.label[t] ?? 0) & L_MONTH) !== 0 && t + 1 < scan.count && scan.kind[t + 1] === DIGIT) return false;
  // `Name=Jenkins`, `Owner=Polly`: alone after a label, a tool name is the tool, unless a
  // person word comes first (`patient_name=Morgan`).
  if (s.tool && !personBefore(scan, t)) return false;
  if (!s.unknown && Math.max(s.first, s.last) >= 2) return true;
  return (label & L_TITLE) !== 0 && !s.wordish && (s.last >= 2 || (s.unknown && s.last >= 1 && pronounceable(w))) && sameStyle(scan, t);
}

/**
 * Person names, scored by the name model: two adjacent tokens in a name shape whose evidence
 * (first name on one, surname on the other, from the SSA, census and curated lists or, for an
 * unlisted word, from its spelling) plus shape and keyword bonuses reaches {@link NAME_THRESHOLD};
 * a single listed name after a person label or title; a first name and surname run together.
 */
export function detectNames(scan: Scan, out: Findings): void {
  const n = scan.count;
  const sc = scoresFor(scan);
  for (let t = 0; t < n; t++) {
    const w = scan.words[t];
    if (w === undefined || scan.kind[t] !== ALPHA || w.length < 2) continue;
    const u = nameAt(scan, sc, t);
    if (u > 0) {
      report(out, 'name', scan.start[t] ?? 0, scan.end[u] ?? 0);
      t = u;
      continue;
    }
    if (labelledName(scan, sc, t)) {
      report(out, 'name', scan.start[t] ?? 0, scan.end[t] ?? 0);
      continue;
    }
    const s = sc[t] as WordScore;
    if (w.length >= 7 && s.unknown && singleCase(scan, t) && runTogether(scan.value, scan.start[t] ?? 0, scan.end[t] ?? 0)) {
      report(out, 'name', scan.start[t] ?? 0, scan.end[t] ?? 0);
    }
  }
}
