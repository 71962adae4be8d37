import { detectAges } from './internal/ages.js';
import { detectDates } from './internal/dates.js';
import { detectDicomUids } from './internal/dicom-uids.js';
import { detectGeo } from './internal/geo.js';
import { detectMacAddresses } from './internal/mac-addresses.js';
import { detectEmails } from './internal/emails.js';
import { isCleanShape } from './internal/clean-shapes.js';
import { foldLatin } from './internal/fold.js';
import { report, settle, type Findings } from './internal/findings.js';
import { detectIpAddresses } from './internal/ip-addresses.js';
import { detectLabelledIds } from './internal/labelled-ids.js';
import { detectNames } from './internal/names.js';
import { detectNumbers } from './internal/numbers.js';
import { decodePercent } from './internal/percent.js';
import { scan, type Scan } from './internal/scan.js';
import { detectStreetAddresses } from './internal/street-addresses.js';
import { detectStructuredIds } from './internal/structured-ids.js';
import { profileOf, type SurfaceProfile } from './internal/surfaces.js';
import { detectUrls } from './internal/urls.js';
import type { Finding, Surface } from './types.js';

/**
 * Options for {@link detectPhi}.
 *
 * @example
 * ```ts
 * import { detectPhi, type DetectOptions } from '@phiseal/guard';
 * const options: DetectOptions = { where: 'tag' };
 * detectPhi('owner: Jane Doe', options); // [{ kind: 'name', ... }]
 * ```
 */
export type DetectOptions = {
  /** The surface the value is bound for; tunes the rules (an S3 key is a path). Default: free text. */
  where?: Surface;
};

/**
 * Finds HIPAA Safe Harbor identifiers in one string bound for a surface AWS stores in the
 * clear. Returns offsets only, never a copy of the text, so findings can be logged.
 * Runs in time linear in the length of `value` (no backtracking regular expressions).
 *
 * @param value the string to check (a key, a tag value, an encryption-context entry)
 * @param options `where`: the surface, which tunes the rules
 * @returns findings ordered by position; empty when nothing looks like PHI
 * @throws never; a non-string `value` yields no findings
 * @example
 * ```ts
 * import { detectPhi } from '@phiseal/guard';
 * detectPhi('patients/jane-doe/123-45-6789.pdf', { where: 's3.key' });
 * // [{ kind: 'name', start: 9, end: 17 }, { kind: 'ssn', start: 18, end: 29 }]
 * detectPhi('uploads/2024/11/03/3f2b8c1e-4a5d-4e6f-8a7b-9c0d1e2f3a4b.pdf', { where: 's3.key' }); // []
 * ```
 */
export function detectPhi(value: string, options?: DetectOptions): Finding[] {
  if (typeof value !== 'string' || value.length === 0) return [];
  const profile = profileOf(options?.where);
  const memo = value.length <= CLEAN_MAX_LENGTH ? cleanOf(profile) : undefined;
  if (memo && isClean(memo, value)) return [];
  // Distinct ids (a UUID key, its base64 form in an encryption context) miss the memo: one
  // walk proves most of them clean (clean-shapes.ts) without the scan. They are remembered like
  // any clean value: a short one in steady use (a sort key's context form) is cheaper to find
  // in the memo than to walk again.
  const found = isCleanShape(value) ? [] : detectAll(value, profile);
  if (memo && found.length === 0) rememberClean(memo, value);
  return found;
}

// The detectors are a pure function of the value and the surface's profile, and a data-key
// cache miss checks the same strings again and again (a table's encryption-context keys and
// names, a sort key value; a partition key value as 'dynamodb.key' and then inside the
// context). Values found clean lately are remembered per profile, so checking one again
// skips the scan: the answer is the one the scan gave. Only short values with no finding
// are kept (strings bound for surfaces AWS stores in the clear), in two generations of at
// most CLEAN_MAX each, so memory stays bounded and values in steady use stay in.
const CLEAN_MAX = 512;
const CLEAN_MAX_LENGTH = 256;
type CleanMemo = { young: Set<string>; old: Set<string> };
const cleanByProfile = new Map<SurfaceProfile, CleanMemo>();

function cleanOf(profile: SurfaceProfile): CleanMemo {
  let memo = cleanByProfile.get(profile);
  if (!memo) {
    memo = { young: new Set(), old: new Set() };
    cleanByProfile.set(profile, memo);
  }
  return memo;
}

function isClean(memo: CleanMemo, value: string): boolean {
  if (memo.young.has(value)) return true;
  if (!memo.old.has(value)) return false;
  rememberClean(memo, value);
  return true;
}

function rememberClean(memo: CleanMemo, value: string): void {
  if (memo.young.size >= CLEAN_MAX) {
    memo.old = memo.young;
    memo.young = new Set();
  }
  memo.young.add(value);
}

/** Every detector over `value`, with no memo and no shortcut: what detectPhi answers. */
export function detectAll(value: string, profile: SurfaceProfile): Finding[] {
  // Detectors read ASCII: fold diacritics (one code unit for one, so offsets stay valid).
  // The scan also tags each token, so each detector skips what it cannot match.
  const folded = foldLatin(value);
  const out: Findings = [];
  runDetectors(scan(folded), profile, out);
  // Percent-encoded text (`patients/Manley,%20Beatrice` in a URL) is read again decoded, its
  // findings mapped back onto the encoded characters.
  const decoded = decodePercent(folded);
  if (decoded !== undefined) {
    const inner: Findings = [];
    runDetectors(scan(decoded.text), profile, inner);
    for (const f of inner) report(out, f.kind, decoded.at[f.start] ?? 0, decoded.at[f.end] ?? value.length);
  }
  detectUrls(value, out);
  return settle(out);
}

/** Every detector but the URL one over one scanned (and tagged) value, in order, into `out`. */
export function runDetectors(s: Scan, profile: SurfaceProfile, out: Findings): void {
  detectNumbers(s, out);
  detectEmails(s, out);
  detectNames(s, out);
  detectDates(s, out, profile);
  detectStructuredIds(s, out);
  detectLabelledIds(s, out);
  detectIpAddresses(s, out);
  detectStreetAddresses(s, out);
  detectAges(s, out);
  detectDicomUids(s, out);
  detectMacAddresses(s, out);
  detectGeo(s, out);
}
