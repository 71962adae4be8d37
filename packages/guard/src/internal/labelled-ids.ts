import type { PhiKind } from '../types.js';
import { codeAt, isAlpha, isDigit, isHex } from './chars.js';
import { deaValid } from './checksums.js';
import { report, type Findings } from './findings.js';
import { L_ACCT, L_AWS, L_DEA, L_DEVICE, L_LIC, L_MRN, L_PLAN, L_ZIP, isConnector } from './labels.js';
import { ALPHA, type Scan } from './scan.js';

const LONGEST_VALUE = 24;

function kindOf(bits: number): PhiKind | undefined {
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
  const value = scan.value;
  // Spans found so far, by start: one map instead of a search per value keeps this linear.
  const ends = out.length === 0 ? undefined : new Map(out.map((f) => [f.start, f.end]));
  for (let t = 0; t < scan.count; t++) {
    if (scan.kind[t] !== ALPHA) continue;
    const bits = scan.label[t] ?? 0;
    if (bits === 0) continue;
    let u = t + 1;
    while (u < scan.count && scan.kind[u] === ALPHA && isConnector(scan.words[u]) && (scan.start[u] ?? 0) - (scan.end[u - 1] ?? 0) <= 3) u++;
    if (u >= scan.count) continue;
    const vs = scan.start[u] ?? 0;
    const gap = vs - (scan.end[u - 1] ?? 0);
    if (gap > 3) continue;
    // The value: from token u to the end of its alphanumeric segment.
    const ve = scan.segEnd[scan.seg[u] ?? 0] ?? vs;
    const len = ve - vs;
    if (len < 5 || len > LONGEST_VALUE) continue;
    let digits = 0;
    let letters = 0;
    for (let i = vs; i < ve; i++) {
      if (isDigit(value.charCodeAt(i))) digits++;
      else letters++;
    }
    if ((bits & L_DEA) !== 0 && len === 9 && isAlpha(value.charCodeAt(vs)) && isDigit(value.charCodeAt(vs + 2))) {
      if (deaValid(value, vs)) report(out, 'dea', vs, ve);
      continue;
    }
    if ((bits & L_ZIP) !== 0 && digits === 5 && letters === 0) {
      const plus4 = codeAt(value, ve) === 45 && isDigit(codeAt(value, ve + 1)) ? 5 : 0;
      report(out, 'zip-code', vs, ve + plus4);
      continue;
    }
    const kind = kindOf(bits);
    // Serial numbers mix letters and digits (`SN8F2K4L9Q7`); the other ids are mostly digits.
    const device = kind === 'device-id';
    if (kind === undefined || digits < (device ? 2 : 5) || letters > (device ? 14 : 4) || len < 6) continue;
    if (sameSpan(ends, vs, ve)) continue;
    if (scan.segOpaque[scan.seg[u] ?? 0] === 1 && kind !== 'device-id') continue;
    if (uuidHead(value, vs, ve) || yearHead(value, vs, ve)) continue;
    if (kind === 'mrn' && randomHexSuffix(value, vs, ve)) continue;
    // Twelve digits after `account` or a plural collection word (`patients-998635609656`, a
    // bucket suffixed with its AWS account id) are an AWS account id, which is not PHI.
    if (digits === 12 && letters === 0 && ((bits & L_AWS) !== 0 || (scan.words[t] ?? '').endsWith('s'))) continue;
    report(out, kind, vs, ve);
    t = u;
  }
}
