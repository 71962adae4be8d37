import type { PhiKind } from '../types.js';
import { codeAt, isAlnum, isAlpha, isDigit, isHex } from './chars.js';
import { deaValid } from './checksums.js';
import { report, type Findings } from './findings.js';
import { L_ACCT, L_AWS, L_DEA, L_DEVICE, L_LIC, L_MRN, L_PLAN, L_PLATE, L_ZIP, isConnector } from './labels.js';
import { ALPHA, DIGIT, type Scan } from './scan.js';
import { S_LABEL } from './tag-bits.js';

const LONGEST_VALUE = 24;

function kindOf(bits: number): PhiKind | undefined {
  if ((bits & L_PLATE) !== 0) return 'license-plate';
  if ((bits & L_MRN) !== 0) return 'mrn';
  if ((bits & L_PLAN) !== 0) return 'health-plan-id';
  if ((bits & L_ACCT) !== 0) return 'account-number';
  if ((bits & L_LIC) !== 0) return 'license-number';
  if ((bits & L_DEVICE) !== 0) return 'device-id';
  return undefined;
}

/** A checksum-validated finding (card, NPI, DEA, SSN) already explains this value. */
function sameSpan(ends: Map<number, number> | undefined, s: number, e: number): boolean {
  return ends !== undefined && ends.get(s) === e;
}

const STATES = new Set('al ak az ar ca co ct de fl ga hi id il in ia ks ky la me md ma mi mn ms mo mt ne nv nh nj nm ny nc nd oh ok or pa ri sc sd tn tx ut vt va wa wv wi wy dc pr'.split(' '));

/** Token `u` is a two-letter US state code standing as a word of its own (`CA` in `dl-CA-…`). */
function stateCode(scan: Scan, u: number): boolean {
  const s = scan.start[u] ?? 0;
  return scan.kind[u] === ALPHA && (scan.end[u] ?? 0) - s === 2 && STATES.has(scan.words[u] ?? '') && (scan.segEnd[scan.seg[u] ?? 0] ?? 0) === s + 2;
}

/** HHS Safe Harbor guidance: three-digit ZIPs of 20,000 or fewer people (2000 census), which must be 000. */
const RESTRICTED_ZIP3 = new Set(['036', '059', '063', '102', '203', '556', '692', '790', '821', '823', '830', '831', '878', '879', '884', '890', '893']);

/** `3=036` after `zip` (token `u` is the glued `3`) or a bare three-digit value that is restricted. */
function restrictedZip3(scan: Scan, u: number): boolean {
  let z = u;
  if (scan.kind[u] === DIGIT && (scan.end[u] ?? 0) - (scan.start[u] ?? 0) === 1 && scan.value.charCodeAt(scan.start[u] ?? 0) === 51 && (scan.start[u] ?? 0) === (scan.end[u - 1] ?? 0)) z = u + 1;
  if (z >= scan.count || scan.kind[z] !== DIGIT) return false;
  const s = scan.start[z] ?? 0;
  const e = scan.end[z] ?? 0;
  return e - s === 3 && !isAlnum(codeAt(scan.value, e)) && !(codeAt(scan.value, e) === 45 && isDigit(codeAt(scan.value, e + 1))) && RESTRICTED_ZIP3.has(scan.value.slice(s, e));
}

/**
 * A value continued over single separators by digit groups: `NY 123 456 789`,
 * `A2024-0012345`, `ABC-1234`, at most 24 characters in all.
 */
function extend(value: string, e: number, vs: number): number {
  let end = e;
  for (let n = 0; n < 3; n++) {
    const c = codeAt(value, end);
    if (c !== 45 && c !== 32) break;
    let k = end + 1;
    while (isDigit(codeAt(value, k))) k++;
    if (k === end + 1 || isAlpha(codeAt(value, k)) || k - vs > LONGEST_VALUE) break;
    end = k;
  }
  return end;
}

function allLetters(value: string, s: number, e: number): boolean {
  for (let i = s; i < e; i++) if (isDigit(value.charCodeAt(i))) return false;
  return true;
}

/** A value segment that is the first group of a UUID (`12345678-1234-...`) is a surrogate key, not an MRN. */
function uuidHead(value: string, s: number, e: number): boolean {
  if (e - s !== 8 || codeAt(value, e) !== 45) return false;
  for (let i = e + 1; i < e + 5; i++) if (!isHex(codeAt(value, i))) return false;
  return codeAt(value, e + 5) === 45;
}

/**
 * After a patient/record label, lower-case hex mixing letters and digits
 * (`patients-4347dd55`) is a generated suffix — CloudFormation/CDK stack names, random
 * bucket discriminators — not a medical record number, which is digits or upper-case
 * alphanumerics.
 */
function randomHexSuffix(value: string, s: number, e: number): boolean {
  let letters = 0;
  let digits = 0;
  for (let i = s; i < e; i++) {
    const c = value.charCodeAt(i);
    if (c >= 48 && c <= 57) digits++;
    else if (c >= 97 && c <= 102) letters++;
    else return false;
  }
  return letters > 0 && digits > 0;
}

/** A year followed by a month (`2024-11`, `2024/11/03`) is a date or a partition, not an id. */
function yearHead(value: string, s: number, e: number): boolean {
  if (e - s !== 4) return false;
  const c = codeAt(value, e);
  const y = (value.charCodeAt(s) - 48) * 10 + (value.charCodeAt(s + 1) - 48);
  return (y === 19 || y === 20) && (c === 45 || c === 47 || c === 46 || c === 95) && isDigit(codeAt(value, e + 1));
}

/**
 * Identifiers that have no checksum and look like any other number, reported only when a
 * label says what they are (Safe Harbor identifiers 8-11 and 13): medical record numbers
 * (`mrn`, `chart`, `patient`), health plan beneficiary and member numbers (`member`,
 * `policy`, `subscriber`), account numbers (`acct`), certificate and licence numbers
 * (`lic`, `dl`, `cert`), device identifiers and serial numbers (`serial`, `udi`, `imei`),
 * ZIP codes (`zip`) and DEA numbers (`dea`). The value must carry at least five digits: a
 * label alone (`patient`, `ssn`) or with a word (`member-services`) is not PHI.
 */
export function detectLabelledIds(scan: Scan, out: Findings): void {
  if ((scan.shape & S_LABEL) === 0) return;
  // Spans found so far, by start: one map instead of a search per value keeps this linear.
  const ends = out.length === 0 ? undefined : new Map(out.map((f) => [f.start, f.end]));
  for (let t = 0; t < scan.count; t++) {
    const bits = scan.kind[t] === ALPHA ? (scan.label[t] ?? 0) : 0;
    if (bits !== 0) t = labelledValue(scan, t, bits, ends, out);
  }
}

/**
 * Finds the value label token `t` (label bits `bits`) introduces and reports it when it is the
 * identifier the label names. Returns the token the search goes on after.
 */
function labelledValue(scan: Scan, t: number, bits: number, ends: Map<number, number> | undefined, out: Findings): number {
  const value = scan.value;
  let u = t + 1;
  while (u < scan.count && scan.kind[u] === ALPHA && isConnector(scan.words[u]) && (scan.start[u] ?? 0) - (scan.end[u - 1] ?? 0) <= 3) u++;
  if (u >= scan.count) return t;
  // `dl-CA-A1234567`, `drivers-license-TX-12345678`: a state code before a licence number.
  if ((bits & L_LIC) !== 0 && u + 1 < scan.count && stateCode(scan, u)) u++;
  // `zip3=036`, `patient_zip3: 692`: the three-digit ZIP Safe Harbor restricts.
  if ((bits & L_ZIP) !== 0 && restrictedZip3(scan, u)) {
    const z = scan.count > u + 1 && (scan.end[u] ?? 0) - (scan.start[u] ?? 0) === 1 ? u + 1 : u;
    report(out, 'zip-code', scan.start[z] ?? 0, scan.end[z] ?? 0);
    return z;
  }
  const vs = scan.start[u] ?? 0;
  const gap = vs - (scan.end[u - 1] ?? 0);
  if (gap > 3) return t;
  // The value: from token u to the end of its alphanumeric segment.
  const segEnd = scan.segEnd[scan.seg[u] ?? 0] ?? vs;
  // Only a value that already holds digits (or a plate's letter block) continues: `npi-…`
  // after `patient` is another label, not part of an MRN.
  const ve = (bits & L_PLATE) !== 0 || !allLetters(value, vs, segEnd) ? extend(value, segEnd, vs) : segEnd;
  if (ve - vs < 5 || ve - vs > LONGEST_VALUE) return t;
  return reportValue(scan, t, u, bits, vs, ve, ends, out) ? u : t;
}

/**
 * Reports `value[vs..ve)`, the value after label token `t` starting at token `u`, as the kind
 * its label names, when its letters and digits fit that kind. True when it was reported as an
 * identifier (the search goes on after the value).
 */
function reportValue(scan: Scan, t: number, u: number, bits: number, vs: number, ve: number, ends: Map<number, number> | undefined, out: Findings): boolean {
  const value = scan.value;
  const len = ve - vs;
  let digits = 0;
  let letters = 0;
  for (let i = vs; i < ve; i++) {
    const c = value.charCodeAt(i);
    if (isDigit(c)) digits++;
    else if (isAlpha(c)) letters++;
  }
  if ((bits & L_DEA) !== 0 && len === 9 && isAlpha(value.charCodeAt(vs)) && isDigit(value.charCodeAt(vs + 2))) {
    if (deaValid(value, vs)) report(out, 'dea', vs, ve);
    return false;
  }
  if ((bits & L_ZIP) !== 0 && digits === 5 && letters === 0) {
    const plus4 = codeAt(value, ve) === 45 && isDigit(codeAt(value, ve + 1)) ? 5 : 0;
    report(out, 'zip-code', vs, ve + plus4);
    return false;
  }
  const kind = kindOf(bits);
  if (kind === 'license-plate') {
    // Plates are 5-8 letters and digits with both (`7ABC123`, `ABC-1234`).
    if (digits >= 1 && letters >= 1 && digits + letters >= 5 && digits + letters <= 8 && !(letters > 0 && allLetters(value, vs, ve))) report(out, kind, vs, ve);
    return false;
  }
  // Serial numbers mix letters and digits (`SN8F2K4L9Q7`); the other ids are mostly digits.
  const device = kind === 'device-id';
  if (kind === undefined || digits < (device ? 2 : 5) || letters > (device ? 14 : 4) || len < 6) return false;
  if (sameSpan(ends, vs, ve)) return false;
  if (scan.segOpaque[scan.seg[u] ?? 0] === 1 && kind !== 'device-id') return false;
  if (uuidHead(value, vs, ve) || yearHead(value, vs, ve)) return false;
  if (kind === 'mrn' && randomHexSuffix(value, vs, ve)) return false;
  // Twelve digits after `account` or a plural collection word (`patients-998635609656`, a
  // bucket suffixed with its AWS account id) are an AWS account id, which is not PHI.
  if (digits === 12 && letters === 0 && ((bits & L_AWS) !== 0 || (scan.words[t] ?? '').endsWith('s'))) return false;
  report(out, kind, vs, ve);
  return true;
}
