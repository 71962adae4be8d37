import { codeAt, digitRun, isAlnum, isDigit, numberAt } from './chars.js';
import { labelAfter, labelBefore } from './context.js';
import { report, type Findings } from './findings.js';
import { L_DATE, L_MONTH, L_PERSON } from './labels.js';
import { ALPHA, DIGIT, type Scan } from './scan.js';
import type { SurfaceProfile } from './surfaces.js';
import { S_DATE, T_DATE } from './tag-bits.js';

const MONTHS = new Map<string, number>([
  ['jan', 1], ['january', 1], ['feb', 2], ['february', 2], ['mar', 3], ['march', 3], ['apr', 4], ['april', 4], ['may', 5],
  ['jun', 6], ['june', 6], ['jul', 7], ['july', 7], ['aug', 8], ['august', 8], ['sep', 9], ['sept', 9], ['september', 9],
  ['oct', 10], ['october', 10], ['nov', 11], ['november', 11], ['dec', 12], ['december', 12],
]);

const DAYS_IN_MONTH = [0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function validDay(month: number, day: number): boolean {
  return month >= 1 && month <= 12 && day >= 1 && day <= (DAYS_IN_MONTH[month] ?? 0);
}

function validYear(y: number, len: number): boolean {
  return len === 2 || (y >= 1900 && y <= 2099);
}

function isDateSep(c: number): boolean {
  return c === 45 || c === 47 || c === 46 || c === 95;
}

/** Result of a parse: end offset (or -1) and the separator used (-1 when none). */
let parsedSep = -1;

/** `YYYY-MM-DD`, `MM/DD/YYYY`, `DD.MM.YYYY`, `M/D/YY` and `YYYYMMDD` at `p`. */
function numericDate(value: string, p: number, allowCompact: boolean): number {
  parsedSep = -1;
  const a = digitRun(value, p);
  if (a === 8) {
    if (!allowCompact) return -1;
    const y = numberAt(value, p, 4);
    return validYear(y, 4) && validDay(numberAt(value, p + 4, 2), numberAt(value, p + 6, 2)) ? p + 8 : -1;
  }
  const sep = codeAt(value, p + a);
  if (!isDateSep(sep) || a > 4 || a === 3) return -1;
  const b = digitRun(value, p + a + 1);
  if (b < 1 || b > 2 || codeAt(value, p + a + 1 + b) !== sep) return -1;
  const cStart = p + a + b + 2;
  const c = digitRun(value, cStart);
  const end = cStart + c;
  const x = numberAt(value, p, a);
  const y = numberAt(value, p + a + 1, b);
  const z = numberAt(value, cStart, c);
  let ok = false;
  if (a === 4 && (c === 1 || c === 2)) ok = validYear(x, 4) && validDay(y, z);
  else if (a <= 2 && (c === 4 || (c === 2 && sep === 47))) ok = validYear(z, c) && (validDay(x, y) || validDay(y, x));
  // Another all-digit group after the same separator makes a longer chain (a version or a code).
  if (!ok || (codeAt(value, end) === sep && isDigit(codeAt(value, end + 1)) && !isAlnum(codeAt(value, end + 1 + digitRun(value, end + 1))))) return -1;
  parsedSep = sep;
  return end;
}

function monthOf(scan: Scan, t: number): number {
  if (((scan.label[t] ?? 0) & L_MONTH) === 0) return 0;
  const w = scan.words[t];
  return w === undefined ? 0 : (MONTHS.get(w) ?? 0);
}

/** `14-Mar-1985`, `14 March 1985` starting at digit token `t`. */
function dayMonthYear(scan: Scan, t: number): number {
  const value = scan.value;
  const p = scan.start[t] ?? 0;
  const dLen = (scan.end[t] ?? 0) - p;
  if (dLen > 2 || t + 2 >= scan.count || scan.kind[t + 1] !== ALPHA || scan.kind[t + 2] !== DIGIT) return -1;
  const month = monthOf(scan, t + 1);
  if (month === 0 || (scan.start[t + 1] ?? 0) - (scan.end[t] ?? 0) !== 1) return -1;
  const yStart = scan.start[t + 2] ?? 0;
  const yLen = (scan.end[t + 2] ?? 0) - yStart;
  if (yStart - (scan.end[t + 1] ?? 0) !== 1 || (yLen !== 4 && yLen !== 2)) return -1;
  return validDay(month, numberAt(value, p, dLen)) && validYear(numberAt(value, yStart, yLen), yLen) ? yStart + yLen : -1;
}

/** `Mar 14, 1985`, `march-14-1985` starting at month-name token `t`. */
function monthDayYear(scan: Scan, t: number): number {
  const month = monthOf(scan, t);
  if (month === 0 || t + 2 >= scan.count || scan.kind[t + 1] !== DIGIT || scan.kind[t + 2] !== DIGIT) return -1;
  const value = scan.value;
  const dStart = scan.start[t + 1] ?? 0;
  const dLen = (scan.end[t + 1] ?? 0) - dStart;
  const gap1 = dStart - (scan.end[t] ?? 0);
  const yStart = scan.start[t + 2] ?? 0;
  const yLen = (scan.end[t + 2] ?? 0) - yStart;
  const gap2 = yStart - (scan.end[t + 1] ?? 0);
  if (dLen > 2 || gap1 < 1 || gap1 > 2 || gap2 < 1 || gap2 > 2 || yLen !== 4) return -1;
  return validDay(month, numberAt(value, dStart, dLen)) && validYear(numberAt(value, yStart, 4), 4) ? yStart + 4 : -1;
}

/** ISO-8601 event timestamps (`2024-11-03T10:15:00Z`, `2024-11-03 10:15`) record when, not whose. */
function followedByTime(value: string, end: number): boolean {
  const c = codeAt(value, end);
  if (c !== 84 && c !== 116 && c !== 32 && c !== 95) return false;
  return isDigit(codeAt(value, end + 1)) && isDigit(codeAt(value, end + 2)) && (codeAt(value, end + 3) === 58 || isDigit(codeAt(value, end + 3)));
}

/** Name edges by offset, built once per call so each date asks in O(1). */
function nameEdges(out: Findings): Set<number> | undefined {
  let edges: Set<number> | undefined;
  for (const f of out) {
    if (f.kind !== 'name') continue;
    edges ??= new Set();
    edges.add(f.end);
    edges.add(-1 - f.start);
  }
  return edges;
}

/**
 * `date_of_service`, `service_date`, `service-dt`: a service date only with a date word next
 * to `service`, since `service/2024/11/03/` alone is a log partition of some service.
 */
function serviceDateBefore(scan: Scan, t: number): boolean {
  let sawDate = false;
  for (let k = t - 1, n = 0; k >= 0 && n < 4; k--, n++) {
    const w = scan.words[k];
    if (w === 'date' || w === 'dt') sawDate = true;
    else if (w === 'service') return sawDate || scan.words[k - 1] === 'of' || scan.words[k - 1] === 'date';
    else if (w !== 'of') return false;
    if ((scan.start[k + 1] ?? 0) - (scan.end[k] ?? 0) > 3) return false;
  }
  return false;
}

function nameNextTo(edges: Set<number> | undefined, start: number, end: number): boolean {
  if (edges === undefined) return false;
  for (let d = 0; d <= 2; d++) if (edges.has(start - d) || edges.has(-1 - (end + d))) return true;
  return false;
}

function tokenEndingAt(scan: Scan, from: number, end: number): number {
  let u = from;
  while (u + 1 < scan.count && (scan.end[u] ?? 0) < end) u++;
  return u;
}

/** Collection words that hold one person per entry: `patients/<id>/…`, `members/<id>/…`. */
const PERSON_COLLECTIONS = new Set(['patients', 'members', 'beneficiaries', 'subscribers', 'residents', 'enrollees', 'pt', 'patient', 'member']);

/** Index of the first person token (a person label or collection word), or -1. */
function firstPersonToken(scan: Scan): number {
  for (let t = 0; t < scan.count; t++) {
    if (scan.kind[t] !== ALPHA) continue;
    if (((scan.label[t] ?? 0) & L_PERSON) !== 0 || PERSON_COLLECTIONS.has(scan.words[t] ?? '')) return t;
  }
  return -1;
}

/**
 * Dates tied to a person (Safe Harbor identifier 3): a date after a birth, death,
 * admission, discharge or service label, or next to a person token or a name. Bare dates
 * are not reported: a partition such as `logs/2024/11/03/` or an event timestamp records
 * when something happened, not to whom.
 */
export function detectDates(scan: Scan, out: Findings, profile: SurfaceProfile): void {
  if ((scan.shape & S_DATE) === 0) return;
  const value = scan.value;
  const edges = nameEdges(out);
  // The first person token, looked for only once a date needs it (-2: not yet): most dates
  // in keys are `/` partitions, which a person token before does not claim.
  let person = -2;
  for (let t = 0; t < scan.count; t++) {
    if (((scan.tag[t] ?? 0) & T_DATE) === 0) continue;
    const p = scan.start[t] ?? 0;
    if (t > 0 && isAlnum(codeAt(value, p - 1)) && scan.kind[t - 1] === DIGIT) continue;
    let end = -1;
    let sep = -1;
    // Labels are looked up only once something parses as a date: most tokens are not dates.
    let before = -1;
    if (scan.kind[t] === DIGIT) {
      const run = (scan.end[t] ?? 0) - p;
      // Every numeric date starts with a group of 1, 2, 4 or 8 digits.
      if (run === 3 || run === 5 || run === 6 || run === 7 || run > 8) continue;
      const compact = run === 8;
      if (compact) before = labelBefore(scan, t, 3);
      if (compact && (before & L_DATE) === 0 && person === -2) person = firstPersonToken(scan);
      end = numericDate(value, p, compact && ((before & L_DATE) !== 0 || (person >= 0 && person < t)));
      sep = parsedSep;
      if (end < 0) end = dayMonthYear(scan, t);
    } else if (monthOf(scan, t) !== 0) end = monthDayYear(scan, t);
    if (end < 0 || isDigit(codeAt(value, end))) continue;
    if (before < 0) before = labelBefore(scan, t, 3);
    const last = tokenEndingAt(scan, t, end);
    const labelled = (before & L_DATE) !== 0 || (labelAfter(scan, last) & L_DATE) !== 0 || serviceDateBefore(scan, t);
    if (!labelled) {
      // A `/` partition in a path is when, not whose, whoever is next to it (checked first:
      // it settles most dates in keys without the person search below).
      if (profile.path && sep === 47) continue;
      // A person token anywhere before the date (`patients/<id>/visits/2024-06-19`,
      // `PATIENT#…#VISIT#2024-06-19`) makes it that person's date.
      if (sep !== 47 && person === -2) person = firstPersonToken(scan);
      const whose = (before & L_PERSON) !== 0 || (labelAfter(scan, last) & L_PERSON) !== 0 || nameNextTo(edges, p, end) || (sep !== 47 && person >= 0 && person < t);
      if (!whose || followedByTime(value, end)) continue;
    }
    report(out, 'date', p, end);
    t = last;
  }
}
