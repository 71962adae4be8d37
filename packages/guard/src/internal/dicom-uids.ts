import { codeAt, isAlnum } from './chars.js';
import { labelBefore } from './context.js';
import { report, type Findings } from './findings.js';
import { L_UID } from './labels.js';
import { DIGIT, type Scan } from './scan.js';
import { S_DOTTED } from './tag-bits.js';

/** DICOM UIDs are at most 64 characters (PS3.5 §9.1). */
const MAX_UID = 64;

/** `1.2.840.10008.…`: the DICOM standard's own UIDs (transfer syntaxes, SOP classes), not an instance. */
function standardRoot(value: string, p: number): boolean {
  return value.startsWith('1.2.840.10008.', p);
}

/**
 * DICOM study, series and instance UIDs (PS3.15 Annex E replaces them on de-identification;
 * they tie an image to one patient's study): dotted decimal components without leading zeros,
 * rooted at 1 or 2, at least four components, and either a component of 8+ digits or two of
 * 6+ (an organisation root plus generated parts; `2.25.<uuid>`), or any such OID after a UID
 * label. Registered OIDs of standards (`2.16.840.1.113883.6.1`, `1.3.6.1.4.1.2021.10`) and the
 * DICOM standard's own UIDs are not instance UIDs.
 */
export function detectDicomUids(scan: Scan, out: Findings): void {
  if ((scan.shape & S_DOTTED) === 0) return;
  const value = scan.value;
  for (let t = 0; t < scan.count; t++) {
    if (scan.kind[t] !== DIGIT) continue;
    const p = scan.start[t] ?? 0;
    const c0 = value.charCodeAt(p);
    if ((c0 !== 49 && c0 !== 50) || codeAt(value, p + 1) !== 46 || isAlnum(codeAt(value, p - 1)) || codeAt(value, p - 1) === 46) continue;
    const first = t;
    let u = t;
    let components = 0;
    let big = 0;
    let huge = 0;
    let leadingZero = false;
    for (;;) {
      const s = scan.start[u] ?? 0;
      const len = (scan.end[u] ?? 0) - s;
      components++;
      if (len >= 8) huge++;
      if (len >= 6) big++;
      if (len > 1 && value.charCodeAt(s) === 48) leadingZero = true;
      const next = u + 1;
      if (next < scan.count && scan.kind[next] === DIGIT && codeAt(value, scan.end[u] ?? 0) === 46 && (scan.start[next] ?? 0) === (scan.end[u] ?? 0) + 1) u = next;
      else break;
    }
    const end = scan.end[u] ?? 0;
    t = u;
    // `2.25.<UUID as an integer>` (PS3.5 Annex B.2) has three components.
    const uuidUid = components === 3 && huge >= 1 && value.startsWith('2.25.', p);
    if ((components < 4 && !uuidUid) || leadingZero || end - p > MAX_UID || isAlnum(codeAt(value, end)) || standardRoot(value, p)) continue;
    const labelled = (labelBefore(scan, first, 3) & L_UID) !== 0;
    if (huge >= 1 || big >= 2 || (labelled && components >= 5)) report(out, 'dicom-uid', p, end);
  }
}
