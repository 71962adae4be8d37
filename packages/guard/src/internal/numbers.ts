import type { PhiKind } from '../types.js';
import { codeAt, continues, digitRun, follows, isAlnum, isAlpha, isDigit, numberAt } from './chars.js';
import { npiValid } from './checksums.js';
import { labelBefore } from './context.js';
import { report, type Findings } from './findings.js';
import { e164At, isJoiner, nanpAt, sluggedE164At } from './phones.js';
import { L_ACCT, L_DEVICE, L_ITIN, L_LIC, L_MRN, L_NPI, L_PHONE, L_PLAN, L_SSN, L_TIME, L_VERSION } from './labels.js';
import { paymentCardAt } from './payment-cards.js';
import type { Scan } from './scan.js';
import { S_NUMBER, T_NUMBER } from './tag-bits.js';

/** Labels that say a number is some other identifier (`chart-2922821998` is an MRN, not an NPI). */
const L_OTHER_ID = L_MRN | L_PLAN | L_ACCT | L_LIC | L_DEVICE | L_PHONE;

const DASH = 45;
const DOT = 46;
const SPACE = 32;
const SLASH = 47;
const OPEN = 40;
const PLUS = 43;
const UNDERSCORE = 95;

/**
 * SSA rules for SSNs issued before and after the 2011 randomization: area 000, 666 and
 * 900-999 are never issued, nor group 00 or serial 0000. Area 9xx with group 50-65, 70-88,
 * 90-92 or 94-99 is an IRS ITIN. Returns the kind, or undefined when neither.
 */
export function ssnKind(area: number, group: number, serial: number): PhiKind | undefined {
  if (group === 0 || serial === 0) return undefined;
  if (area >= 900) {
    const itin = (group >= 50 && group <= 65) || (group >= 70 && group <= 88) || (group >= 90 && group <= 92) || group >= 94;
    return itin ? 'itin' : undefined;
  }
  if (area === 0 || area === 666) return undefined;
  return 'ssn';
}

/**
 * True when the group joined by `sep` before `p` is an IRS form number (1099, 1098, 1095, 1040,
 * 1042) that no other digit group comes before (`1099-123-45-6789`, `tax-1040_…`): the form a
 * taxpayer number is printed on, like `w9-` or `w2-` (glued to letters), not the head of a longer code.
 */
function taxFormBefore(value: string, p: number, sep: number): boolean {
  if (codeAt(value, p - 1) !== sep || p < 5 || isDigit(codeAt(value, p - 6))) return false;
  // Not itself chained to a digit group before it (`2024-1099-…`).
  if (codeAt(value, p - 6) === sep && isDigit(codeAt(value, p - 7))) return false;
  const form = numberAt(value, p - 5, 4);
  return digitRun(value, p - 5) === 4 && (form === 1099 || form === 1098 || form === 1095 || form === 1040 || form === 1042);
}

/** Epoch seconds of 2015-01-01 and 2030-01-01: a 10-digit number between is read as a time. */
const EPOCH_FROM = 1_420_070_400;
const EPOCH_TO = 1_893_456_000;

/**
 * A 10-digit number that is also a plausible timestamp: epoch seconds of 2015-2029, or a
 * `yyyymmddhh` stamp. Such a number is an NPI only after an NPI label, whatever its check digit.
 */
function timeLike(value: string, p: number): boolean {
  const n = numberAt(value, p, 10);
  if (n >= EPOCH_FROM && n < EPOCH_TO) return true;
  const y = numberAt(value, p, 4);
  const m = numberAt(value, p + 4, 2);
  const d = numberAt(value, p + 6, 2);
  const h = numberAt(value, p + 8, 2);
  return y >= 1900 && y <= 2099 && m >= 1 && m <= 12 && d >= 1 && d <= 31 && h <= 23;
}

/** Finds SSNs, ITINs, phone and fax numbers, payment cards, NPIs and ZIP+4 codes. */
export function detectNumbers(scan: Scan, out: Findings): void {
  if ((scan.shape & S_NUMBER) === 0) return;
  for (let t = 0; t < scan.count; t++) {
    if (((scan.tag[t] ?? 0) & T_NUMBER) !== 0) numberAtToken(scan, t, out);
  }
}

/**
 * The number, if any, that starts at digit token `t`. The rules run in order and the first that
 * settles the token ends the search: a rule that recognises a shape settles it even when the
 * number it reads there is not valid (a 3-2-4 group that is no SSN is no phone either).
 */
function numberAtToken(scan: Scan, t: number, out: Findings): void {
  const value = scan.value;
  const p = scan.start[t] ?? 0;
  const run = (scan.end[t] ?? 0) - p;
  const prev = codeAt(value, p - 1);
  const label = isAlpha(prev) || isJoiner(prev) || prev === 58 || prev === 61 || prev === 35 || prev === 95 || prev === SLASH ? labelBefore(scan, t) : 0;
  if (isAlpha(prev) && label === 0) return;
  // A component of a dotted number (an OID, a DICOM UID, a version) is not a number of its own.
  if (prev === DOT && isDigit(codeAt(value, p - 2))) return;
  if (phoneAfterPrefix(value, p, run, prev, out)) return;
  const after = codeAt(value, p + run);
  const whole = run === value.length;
  if (ssnAt(value, p, run, after, label, out)) return;
  if (phoneAt(value, p, run, after, label, whole, out)) return;
  if (zipPlus4At(value, p, run, after, label, out)) return;
  if (npiAt(value, p, run, after, label, whole, out)) return;
  // Payment cards.
  if ((run >= 13 && run <= 19) || (run === 4 && (after === SPACE || after === DASH || after === UNDERSCORE))) paymentCardAt(value, p, run, after, out);
}

/** A phone number announced before its digits: `+` (E.164), a slugged `+` (`_1_617…`), or `(`. True when the token is settled. */
function phoneAfterPrefix(value: string, p: number, run: number, prev: number, out: Findings): boolean {
  if (prev === PLUS && !isAlnum(codeAt(value, p - 2))) {
    const end = e164At(value, p - 1);
    if (end > 0) report(out, 'phone', p - 1, end);
    return true;
  }
  if ((prev === DASH || prev === UNDERSCORE) && run <= 3 && (p === 1 || codeAt(value, p - 2) === prev)) {
    const end = sluggedE164At(value, p, prev);
    if (end > 0) {
      report(out, 'phone', p - 1, end);
      return true;
    }
  }
  if (prev === OPEN) {
    const end = nanpAt(value, p - 1, false);
    if (end > 0) report(out, 'phone', p - 1, end);
    return true;
  }
  return false;
}

/** SSN / ITIN in the printed 3-2-4 form, or 9 bare digits after an SSN/TIN label. True when the token is settled. */
function ssnAt(value: string, p: number, run: number, after: number, label: number, out: Findings): boolean {
  if (run === 3 && (after === DASH || after === SPACE || after === UNDERSCORE) && (!follows(value, p, after) || taxFormBefore(value, p, after))) {
    if (digitRun(value, p + 4) === 2 && codeAt(value, p + 6) === after && digitRun(value, p + 7) === 4 && !continues(value, p + 11, after)) {
      const kind = ssnKind(numberAt(value, p, 3), numberAt(value, p + 4, 2), numberAt(value, p + 7, 4));
      if (kind !== undefined) report(out, kind, p, p + 11);
      return true;
    }
  }
  if (run === 9 && (label & (L_SSN | L_ITIN)) !== 0) {
    const kind = ssnKind(numberAt(value, p, 3), numberAt(value, p + 3, 2), numberAt(value, p + 5, 4));
    if (kind !== undefined) report(out, kind, p, p + 9);
    return true;
  }
  return false;
}

/** Phone and fax: NANP with a leading 1, NANP, bare 10 digits after a phone label, or E.164 without its `+`. True when the token is settled. */
function phoneAt(value: string, p: number, run: number, after: number, label: number, whole: boolean, out: Findings): boolean {
  if (run === 1 && value.charCodeAt(p) === 49 && isJoiner(after)) {
    const end = nanpAt(value, p + 2, false);
    if (end > 0) {
      report(out, 'phone', p, end);
      return true;
    }
  }
  if ((run === 3 && isJoiner(after) && !follows(value, p, after)) || (run === 10 && (label & L_PHONE) !== 0)) {
    const end = nanpAt(value, p, (label & L_PHONE) !== 0);
    if (end > 0) {
      report(out, 'phone', p, end);
      return true;
    }
  }
  // 11 digits starting with the NANP country code is how E.164 numbers are stored without
  // the `+` (`fax_16175550142`); still a valid NANP number behind the 1. A value that is
  // nothing but the number is a numeric key or counter unless a label says phone.
  if (run === 11 && value.charCodeAt(p) === 49 && !isAlnum(after) && (label & (L_TIME | L_VERSION)) === 0 && (!whole || (label & L_PHONE) !== 0)) {
    const end = nanpAt(value, p + 1, true);
    if (end > 0) report(out, 'phone', p, end);
    return true;
  }
  return false;
}

/** ZIP+4 (USPS): five digits, a dash, four digits, nothing chained on either side. True when the token is settled. */
function zipPlus4At(value: string, p: number, run: number, after: number, label: number, out: Findings): boolean {
  if (run === 5 && (after === DASH || after === UNDERSCORE) && digitRun(value, p + 6) === 4 && !follows(value, p, after) && !continues(value, p + 10, after) && !isAlnum(codeAt(value, p + 10))) {
    if ((label & L_VERSION) === 0) report(out, 'zip-code', p, p + 10);
    return true;
  }
  return false;
}

/**
 * NPI: 10 digits starting 1 or 2 with a valid check digit; after a time word it is an epoch
 * second, which shares the range. A value that is nothing but 1xxxxxxxxx is far more often an
 * epoch second (2001-2033: a DynamoDB N key, a counter) than an NPI; it needs an `npi` label
 * then. True when the token is settled.
 */
function npiAt(value: string, p: number, run: number, after: number, label: number, whole: boolean, out: Findings): boolean {
  const epochLike = (label & L_NPI) === 0 && run === 10 && ((whole && value.charCodeAt(p) === 49) || timeLike(value, p));
  if (run === 10 && !isAlnum(after) && !epochLike && (label & (L_TIME | L_OTHER_ID)) === 0 && !(after === DOT && isDigit(codeAt(value, p + 11)))) {
    if (npiValid(value, p)) {
      report(out, 'npi', p, p + 10);
      return true;
    }
    if ((label & L_NPI) !== 0) return true;
  }
  return false;
}
