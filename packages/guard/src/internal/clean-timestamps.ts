import { isDigit } from './chars.js';
import { wordIndex } from './token-tags.js';

// ISO-8601 timestamps for clean-shapes.ts: a DynamoDB sort key is often one
// (`2026-11-29T09:30:00.000Z`, `Date#toISOString`), distinct per item. Such a value, as the whole
// value and whatever its digits, holds no finding; why, detector by detector, for the layouts
// below (`d` a digit):
// - its words are `t` and `z`, one letter each: names skip them, and they are in no list the scan
//   asks (checked once at run time, see `lettersAreNoWords`), so no label or word bit is set;
// - numbers: only the year is tagged (4 digits before `-`); a card needs 13 digits and the
//   `-` chain holds 8; no `+`, `(`, 3-digit or 5-digit group;
// - dates: `yyyy-mm-dd` may parse, but with no label, person token or name near it a bare date
//   is not reported (dates.ts); `mm-dd` and `ss.sss` do not parse;
// - IPv4 needs `d.d.d.d` with 1-3 digit groups; IPv6 needs 8 groups or `::`; a DICOM UID a
//   `1.` or `2.` start; a coordinate 4 fraction digits (`ss.sss` has 3); a MAC six 2-digit
//   groups in a row; MBI, DEA and VIN lengths are not among the segment lengths;
// - no `@`, `%`, label or age word, so e-mail, percent, labelled-id, street and age rules stay off.
// clean-shapes.property.test.ts checks every layout with random digits against the detectors.

/** The layouts cleared; exported for the property test, which fills each with random digits. */
export const LAYOUTS = ['dddd-dd-ddTdd:dd:dd.dddZ', 'dddd-dd-ddTdd:dd:ddZ', 'dddd-dd-dd'];

/** True when `value` is, as a whole, one of the timestamp layouts above. */
export function isIsoTimestamp(value: string): boolean {
  for (const layout of LAYOUTS) {
    if (layout.length === value.length && fits(value, layout)) return true;
  }
  return false;
}

function fits(value: string, layout: string): boolean {
  for (let k = 0; k < layout.length; k++) {
    const want = layout.charCodeAt(k);
    const c = value.charCodeAt(k);
    if (want === 100 ? !isDigit(c) : c !== want) return false;
  }
  return true;
}

let noWords: boolean | undefined;

/** The letters of the layouts are no word the scan looks up (the argument above needs it). */
export function lettersAreNoWords(): boolean {
  return (noWords ??= wordIndex('t') < 0 && wordIndex('z') < 0);
}
