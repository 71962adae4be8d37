import { codeAt, isAlnum, isDigit } from './chars.js';
import { isStopWord } from './name-words.js';
import { labelBefore } from './context.js';
import { report, type Findings } from './findings.js';
import { L_CITY, L_GEO, L_PERSON } from './labels.js';
import { ALPHA, DIGIT, type Scan } from './scan.js';
import { S_CITY, S_DOTTED } from './tag-bits.js';

/** Fraction digits that place a point within about 10 m (4 decimals): an address, not a region. */
const MIN_FRACTION = 4;

/** A signed decimal at token `t` (`-74.0060`): its end, and its value in `decimalValue`; -1 if none. */
let decimalValue = 0;
function decimalAt(scan: Scan, t: number): number {
  const value = scan.value;
  if (scan.kind[t] !== DIGIT || t + 1 >= scan.count || scan.kind[t + 1] !== DIGIT) return -1;
  const p = scan.start[t] ?? 0;
  const e = scan.end[t] ?? 0;
  const f = scan.start[t + 1] ?? 0;
  const fe = scan.end[t + 1] ?? 0;
  if (e - p > 3 || codeAt(value, e) !== 46 || f !== e + 1 || fe - f < MIN_FRACTION || isAlnum(codeAt(value, fe)) || codeAt(value, fe) === 46) return -1;
  if (isAlnum(codeAt(value, p - 1)) || codeAt(value, p - 1) === 46) return -1;
  decimalValue = Number(value.slice(p, fe)) * (codeAt(value, p - 1) === 45 ? -1 : 1);
  return fe;
}

/**
 * Geographic coordinates precise enough to place a home (Safe Harbor (B): any subdivision
 * smaller than a state): a latitude/longitude pair of decimals with 4+ fraction digits in range,
 * joined by a comma or a space, or one such decimal after a coordinate word (`lat=`, `geo:`);
 * and a city or town after a patient token (`patient-city: Fresno`).
 */
export function detectGeo(scan: Scan, out: Findings): void {
  if ((scan.shape & (S_DOTTED | S_CITY)) === 0) return;
  const value = scan.value;
  for (let t = 0; t + 1 < scan.count; t++) {
    if (scan.kind[t] === ALPHA) {
      if (((scan.label[t] ?? 0) & L_CITY) !== 0) t = cityAfter(scan, t, out);
      continue;
    }
    const end = decimalAt(scan, t);
    if (end < 0) continue;
    const lat = decimalValue;
    const start = codeAt(value, (scan.start[t] ?? 0) - 1) === 45 ? (scan.start[t] ?? 0) - 1 : (scan.start[t] ?? 0);
    const labelled = (labelBefore(scan, t, 2) & L_GEO) !== 0;
    let k = end;
    if (codeAt(value, k) === 44 || codeAt(value, k) === 32) k++;
    if (codeAt(value, k) === 32) k++;
    if (codeAt(value, k) === 45) k++;
    const u = k > end ? t + 2 : -1;
    const pairEnd = u > 0 && u + 1 < scan.count && (scan.start[u] ?? 0) === k ? decimalAt(scan, u) : -1;
    if (pairEnd > 0 && Math.abs(lat) <= 90 && Math.abs(decimalValue) <= 180 && (Math.abs(lat) >= 1 || Math.abs(decimalValue) >= 1)) {
      report(out, 'geo-location', start, pairEnd);
      t = u + 1;
    } else if (labelled && Math.abs(lat) <= 180) {
      report(out, 'geo-location', start, end);
      t++;
    }
  }
}

/** After a city label: the place name, when a patient or person token comes just before the label. */
function cityAfter(scan: Scan, t: number, out: Findings): number {
  let person = false;
  for (let k = t - 1, n = 0; k >= 0 && n < 3; k--, n++) {
    if (((scan.label[k] ?? 0) & L_PERSON) !== 0 || scan.words[k] === 'patients' || scan.words[k] === 'pt') person = true;
  }
  const u = t + 1;
  if (!person || u >= scan.count || scan.kind[u] !== ALPHA || (scan.start[u] ?? 0) - (scan.end[t] ?? 0) > 3) return t;
  const w = scan.words[u];
  if (w === undefined || w.length < 3 || isStopWord(w) || isDigit(codeAt(scan.value, scan.end[u] ?? 0))) return t;
  let v = u;
  // Two-word places: `San Jose`, `Des Moines`, `fort-worth`.
  if (v + 1 < scan.count && scan.kind[v + 1] === ALPHA && (scan.start[v + 1] ?? 0) - (scan.end[v] ?? 0) === 1 && !isStopWord(scan.words[v + 1] ?? '')) v++;
  report(out, 'geo-location', scan.start[u] ?? 0, scan.end[v] ?? 0);
  return v;
}
