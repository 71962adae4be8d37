import { AGE_MAX, AGE_MIN, ageWords, BIRTH_YEAR_FIRST, LAST_RISKY_BIRTH_YEAR } from './ages.js';
import { codeAt, isAlpha, isDigit, isUpper } from './chars.js';
import { slugMailWords } from './emails.js';
import { labelEntries } from './labels.js';
import type { Scan } from './scan.js';
import { streetSuffixes } from './street-addresses.js';
import { S_AGE, S_AGE_WORD, S_DATE, S_DOTTED, S_MAC, S_MAIL_WORD, S_NUMBER, S_STREET, S_STRUCTURED, T_DATE, T_NUMBER } from './tag-bits.js';
import { ALPHA } from './token-kinds.js';

// The tagging the scan does on the way (scan.ts calls these as it cuts each token). Each bit
// (tag-bits.ts) is a NECESSARY condition for one detector to find anything: a detector whose
// bit is clear skips the token, or returns at once, instead of walking every token to reject
// them one by one. Most keys carry no dotted numbers, no ages, no MAC-shaped hex pairs and no
// labels, so most detectors cost one test. The findings cannot change: each condition below
// restates the first tests of its detector, widened, never narrowed; token-tags.test.ts
// compares every detector with and without its gates.

function isJoiner(c: number): boolean {
  return c === 45 || c === 46 || c === 32 || c === 95;
}

function isDateSep(c: number): boolean {
  return c === 45 || c === 47 || c === 46 || c === 95;
}

/**
 * Tags of the digit token `value[p..e)`. Numbers (numbers.ts): `+` or `(` before, 1-3 digits
 * after a slug separator at the start or doubled (a slugged `+`), a length
 * of 9-11 or 13-19, a 3-digit group or a leading `1` before a joiner, a 5-digit group before
 * `-`/`_`, a 4-digit group before a card separator. Dates (dates.ts): 8 digits, or a group of
 * 1, 2 or 4 before a date separator and a digit (the day before a month name is tagged by the month).
 */
export function digitTag(value: string, p: number, e: number): number {
  const run = e - p;
  const prev = codeAt(value, p - 1);
  const after = codeAt(value, e);
  let tag = 0;
  if (
    prev === 43 || prev === 40 || ((prev === 45 || prev === 95) && run <= 3 && (p === 1 || codeAt(value, p - 2) === prev)) || run === 9 || run === 10 || run === 11 || (run >= 13 && run <= 19) ||
    (run === 3 && isJoiner(after)) || (run === 1 && value.charCodeAt(p) === 49 && isJoiner(after)) ||
    (run === 5 && (after === 45 || after === 95)) || (run === 4 && (after === 32 || after === 45 || after === 95))
  ) tag = T_NUMBER;
  if (run === 8 || ((run === 1 || run === 2 || run === 4) && isDateSep(after) && isDigit(codeAt(value, e + 1)))) tag |= T_DATE;
  return tag;
}

/** The scan-level bits of a token's tags. */
export function shapeOfTag(tag: number): number {
  return ((tag & T_NUMBER) !== 0 ? S_NUMBER : 0) | ((tag & T_DATE) !== 0 ? S_DATE : 0);
}

/** Scan-level bits of the digit token `value[p..e)`: `d.d` (IPv4, DICOM UID, coordinate) and the age range. */
export function digitShape(value: string, p: number, e: number): number {
  const run = e - p;
  let shape = 0;
  if (run <= 3 && codeAt(value, e) === 46 && isDigit(codeAt(value, e + 1))) shape |= S_DOTTED;
  // One digit is neither an age over 89 nor a year.
  if (run >= 2 && run <= 4) {
    let n = 0;
    for (let k = p; k < e; k++) n = n * 10 + (value.charCodeAt(k) - 48);
    if (run === 4 ? n >= BIRTH_YEAR_FIRST && n <= LAST_RISKY_BIRTH_YEAR : n >= AGE_MIN && n <= AGE_MAX) shape |= S_AGE;
  }
  return shape;
}

// Word flags of the word table.
const W_SUFFIX = 1;
const W_PO = 2;
const W_MAIL = 4;
const W_AGE = 8;

/**
 * Every word a tag or a label depends on (labels, street suffixes, `po`, mail words, age
 * words), so the scan looks each word up once: index -> label bits and word flags.
 */
type WordTable = { index: Map<string, number>; labels: Int32Array; flags: Uint8Array };
let table: WordTable | undefined;

function build(): WordTable {
  const index = new Map<string, number>();
  const labels: number[] = [];
  const flags: number[] = [];
  const add = (word: string, label: number, flag: number): void => {
    const k = index.get(word);
    if (k === undefined) {
      index.set(word, labels.length);
      labels.push(label);
      flags.push(flag);
    } else {
      labels[k] = (labels[k] ?? 0) | label;
      flags[k] = (flags[k] ?? 0) | flag;
    }
  };
  for (const [word, bits] of labelEntries()) add(word, bits, 0);
  for (const word of streetSuffixes()) add(word, 0, W_SUFFIX);
  add('po', 0, W_PO);
  for (const word of slugMailWords()) add(word, 0, W_MAIL);
  for (const word of ageWords()) add(word, 0, W_AGE);
  return { index, labels: Int32Array.from(labels), flags: Uint8Array.from(flags) };
}

/** Index of a lower-cased word in the word table, or -1 (most words). */
export function wordIndex(word: string): number {
  return (table ??= build()).index.get(word) ?? -1;
}

/**
 * Word-table entries spelled with the letters a-f only (`dec`, `dea`), as base-7 codes (see
 * {@link isHexLetterWord}), and a bit per length that occurs: the only entries a run of hex
 * letters in a UUID can be.
 */
type HexWords = { codes: Set<number>; lengths: number };
let hexWords: HexWords | undefined;

function buildHexWords(): HexWords {
  const codes = new Set<number>();
  let lengths = 0;
  for (const word of (table ??= build()).index.keys()) {
    if (!/^[a-f]{1,12}$/.test(word)) continue;
    codes.add(hexLetterCode(word, 0, word.length));
    lengths |= 1 << word.length;
  }
  return { codes, lengths };
}

/** Base-7 code of the letters a-f (either case) in `text[p..q)`, one digit 1-6 per letter. */
function hexLetterCode(text: string, p: number, q: number): number {
  let code = 0;
  for (let k = p; k < q; k++) code = code * 7 + ((text.charCodeAt(k) | 32) - 96);
  return code;
}

/**
 * True when the run of hex letters `value[p..q)`, lower-cased, may be in the word table (runs of
 * more than 12 letters are not told apart: true). Answers what `wordIndex(word) >= 0` would
 * without slicing the word out of the value.
 */
export function isHexLetterWord(value: string, p: number, q: number): boolean {
  if (q - p > 12) return true;
  const words = (hexWords ??= buildHexWords());
  return ((words.lengths >> (q - p)) & 1) !== 0 && words.codes.has(hexLetterCode(value, p, q));
}

/** Label bits of word-table entry `k` (labels.ts: the same as `labelOf`). */
export function labelAt(k: number): number {
  return table?.labels[k] ?? 0;
}

/** Scan-level bits of word-table entry `k`: a street suffix after a house number, `po`, a mail word, an age word. */
export function wordShape(k: number, house: boolean): number {
  const f = table?.flags[k] ?? 0;
  return ((f & W_PO) !== 0 || ((f & W_SUFFIX) !== 0 && house) ? S_STREET : 0) | ((f & W_MAIL) !== 0 ? S_MAIL_WORD : 0) | ((f & W_AGE) !== 0 ? S_AGE_WORD : 0);
}

/** Token `t` is a two-letter word in capitals (a state code before a ZIP: `MA 02139`). */
export function twoCapitals(scan: Scan, t: number): boolean {
  const p = scan.start[t] ?? 0;
  // The word is the token lower-cased: the same length.
  if ((scan.end[t] ?? 0) - p !== 2 || scan.kind[t] !== ALPHA || scan.words[t] === undefined) return false;
  return isUpper(scan.value.charCodeAt(p)) && isUpper(scan.value.charCodeAt(p + 1));
}

/** Scan-level bits of segment `g`: MAC-shaped hex groups, and MBI, DEA and VIN lengths. */
export function segmentShape(scan: Scan, g: number): number {
  const next = g + 1 < scan.segCount ? (scan.segEnd[g + 1] ?? 0) - (scan.segStart[g + 1] ?? 0) : -1;
  return segmentBits(scan.value, scan.segStart[g] ?? 0, scan.segEnd[g] ?? 0, scan.segHex[g] === 1, next);
}

/**
 * Scan-level bits of the segment `value[s..e)` (`hex`: all hex digits), whose next segment is
 * `next` characters long (-1: it is the last one). Shared by the scan and the clean-shape test
 * (clean-shapes.ts), so both read a segment the same way.
 */
export function segmentBits(value: string, s: number, e: number, hex: boolean, next: number): number {
  const len = e - s;
  const after = codeAt(value, e);
  let shape = 0;
  if (hex && ((len === 2 && (after === 58 || after === 45)) || (len === 4 && after === 46))) shape |= S_MAC;
  // A printed MBI is 4-3-4 joined by `-` or `_` (the segment after a non-last one is current; after the last, anything).
  if (len === 11 || len === 17 || (len === 4 && (after === 45 || after === 95) && (next < 0 || next === 3))) shape |= S_STRUCTURED;
  else if (len === 9 && isAlpha(value.charCodeAt(s)) && isDigit(value.charCodeAt(s + 2))) shape |= S_STRUCTURED;
  return shape;
}
