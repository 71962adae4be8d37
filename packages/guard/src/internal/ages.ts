import { codeAt, isAlnum, isDigit, numberAt } from './chars.js';
import { report, type Findings } from './findings.js';
import { isConnector, L_AGE, L_BIRTH_YEAR } from './labels.js';
import type { Scan } from './scan.js';
import { ALPHA, DIGIT } from './token-kinds.js';
import { S_AGE, S_AGE_WORD } from './tag-bits.js';

/** Youngest age Safe Harbor aggregates (ages over 89). */
export const AGE_MIN = 90;
/** Oldest age read as a person's: above it a number after `age` is a duration or a count. */
export const AGE_MAX = 125;
/** Earliest year read as a birth year. */
export const BIRTH_YEAR_FIRST = 1850;

/** Words before `age` that make it the age of a thing: `max-age=120`, `cache-age`, `retention-age`. */
const THING_AGE = new Set(['max', 'min', 'cache', 'ttl', 'retention', 'data', 'file', 'log', 'object', 'record', 'token', 'session', 'cookie', 'key', 'password', 'credential', 'snapshot', 'backup', 'average', 'avg', 'mean', 'median', 'message', 'msg', 'item', 'account', 'bucket', 'max_age', 'maxage']);
/** Units after the number that make it a duration: `age-120-days`, `age=90s`. */
const DURATION = new Set(['s', 'sec', 'secs', 'second', 'seconds', 'ms', 'm', 'min', 'mins', 'minute', 'minutes', 'h', 'hr', 'hrs', 'hour', 'hours', 'd', 'day', 'days', 'w', 'wk', 'week', 'weeks', 'mo', 'month', 'months']);
/** Words that make a year a birth year: `born-1931`, `birth_year: 1930`, `yob=1928`, `dob-1929`. */
const BIRTH = new Set(['born', 'birth', 'dob', 'yob', 'birthyear', 'birthdate', 'birthday', 'bday']);
/** Words after a number that state an age (`92-year-old`, `92yo`, `92 y/o`). */
const AGE_AFTER = ['yo', 'yrs', 'yr', 'year', 'years', 'y'];

/** Words without which no number is an age here (besides `L_AGE` and `L_BIRTH_YEAR` labels); for the scan's tagging. */
export function ageWords(): string[] {
  return [...AGE_AFTER, ...BIRTH];
}

/** The year from which a birth year implies an age over 89 (Safe Harbor (C)): current year minus 90. */
export const LAST_RISKY_BIRTH_YEAR = new Date().getUTCFullYear() - 90;

/** Index of the alphabetic token before `t` (skipping connectors, at most 3 separators apart), or -1. */
function wordBefore(scan: Scan, t: number): number {
  let k = t - 1;
  let edge = scan.start[t] ?? 0;
  while (k >= 0 && scan.kind[k] === ALPHA && edge - (scan.end[k] ?? 0) <= 3) {
    if (!isConnector(scan.words[k]) || (scan.label[k] ?? 0) !== 0) return k;
    edge = scan.start[k] ?? 0;
    k--;
  }
  return -1;
}

function ageLabelled(scan: Scan, t: number): boolean {
  let k = wordBefore(scan, t);
  // `age_years=92`, `age_in_years: 92`.
  if (k > 0 && (scan.words[k] === 'years' || scan.words[k] === 'yrs')) k = wordBefore(scan, k);
  if (k < 0 || ((scan.label[k] ?? 0) & L_AGE) === 0) return false;
  const before = k > 0 && (scan.start[k] ?? 0) - (scan.end[k - 1] ?? 0) <= 1 ? scan.words[k - 1] : undefined;
  return before === undefined || !THING_AGE.has(before);
}

/** `92-year-old`, `92yo`, `92 y/o`: an age stated after the number. */
function ageAfter(scan: Scan, t: number): boolean {
  const w = scan.words[t + 1];
  if (w === undefined || (scan.start[t + 1] ?? 0) - (scan.end[t] ?? 0) > 1) return false;
  if (w === 'yo' || w === 'yrs' || w === 'yr' || w === 'year' || w === 'years' || w === 'y') {
    if (w === 'yo') return true;
    const next = scan.words[t + 2];
    return next === 'old' || next === 'o';
  }
  return false;
}

function birthWordBefore(scan: Scan, t: number): boolean {
  let k = t - 1;
  let edge = scan.start[t] ?? 0;
  for (let n = 0; n < 3 && k >= 0 && scan.kind[k] === ALPHA && edge - (scan.end[k] ?? 0) <= 3; n++, k--) {
    const w = scan.words[k] ?? '';
    if (BIRTH.has(w) || ((scan.label[k] ?? 0) & L_BIRTH_YEAR) !== 0) return true;
    if (w !== 'year' && w !== 'yr' && w !== 'of' && w !== 'date') return false;
    edge = scan.start[k] ?? 0;
  }
  return false;
}

/**
 * Ages over 89 and birth years that imply one (Safe Harbor (C): ages over 89 and all elements of
 * dates indicative of such an age are aggregated into 90 or older): a number 90-125 after `age`
 * (not `max-age`, not a duration) or before `year-old`/`yo`; a four-digit year up to the current
 * year minus 90 after a birth word, standing alone (a full date is the date detector's).
 */
export function detectAges(scan: Scan, out: Findings): void {
  if ((scan.shape & S_AGE) === 0 || (scan.shape & S_AGE_WORD) === 0) return;
  const value = scan.value;
  for (let t = 0; t < scan.count; t++) {
    if (scan.kind[t] !== DIGIT) continue;
    const p = scan.start[t] ?? 0;
    const e = scan.end[t] ?? 0;
    const run = e - p;
    if (isDigit(codeAt(value, p - 2)) && !isAlnum(codeAt(value, p - 1))) continue;
    if (run <= 3) {
      const n = numberAt(value, p, run);
      if (n < AGE_MIN || n > AGE_MAX) continue;
      if (codeAt(value, e) === 46 && isDigit(codeAt(value, e + 1))) continue;
      const unit = scan.words[t + 1];
      const duration = unit !== undefined && (scan.start[t + 1] ?? 0) - e <= 1 && DURATION.has(unit);
      if ((ageLabelled(scan, t) && !duration) || ageAfter(scan, t)) report(out, 'age', p, e);
    } else if (run === 4) {
      const y = numberAt(value, p, 4);
      if (y < BIRTH_YEAR_FIRST || y > LAST_RISKY_BIRTH_YEAR) continue;
      const c = codeAt(value, e);
      if ((c === 45 || c === 47 || c === 46) && isDigit(codeAt(value, e + 1))) continue;
      if (birthWordBefore(scan, t)) report(out, 'age', p, e);
    }
  }
}
