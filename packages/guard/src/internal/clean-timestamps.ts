import { isDigit } from './chars.js';
import { wordIndex } from './token-tags.js';

// ISO-8601 timestamps for clean-shapes.ts: a DynamoDB sort key is often one
// (`2026-11-29T09:30:00.000Z` from `Date#toISOString`; other clocks print 0-9 fraction digits and
// a `+01:00` offset), distinct per item. Such a value, as the whole value and whatever its
// digits, holds no finding; why, detector by detector, for the layouts below (`d` a digit):
// - its words are `t` and `z`, one letter each: names skip them, and they are in no list the scan
//   asks (checked once at run time, see `lettersAreNoWords`), so no label or word bit is set;
// - numbers: the year starts a `-` chain of 8 digits, a card needs 13; the offset's hours after
//   `+` follow a digit (no E.164); every other tagged run follows a `.` after a digit (a dotted
//   component, numbers.ts) or is too short for any rule;
// - dates: `yyyy-mm-dd` may parse, but with no label, person token or name near it a bare date
//   is not reported (dates.ts); the groups after it (`ss.f`, `f-hh:mm`) do not parse;
// - IPv4 needs `d.d.d.d` with 1-3 digit groups; IPv6 needs 8 groups or `::`; a DICOM UID a
//   `1.` or `2.` start; a coordinate pair a second decimal (the offset is `hh:mm`) or a label; a
//   MAC six 2-digit groups joined by one separator; MBI, DEA and VIN need segment lengths and
//   letters these layouts do not have;
// - no `@`, `%`, label or age word, so e-mail, percent, labelled-id, street and age rules stay off.
// clean-shapes.property.test.ts fills every layout with random digits and asks the detectors.

const FRACTIONS = ['', ...Array.from({ length: 9 }, (_, k) => `.${'d'.repeat(k + 1)}`)];
const ZONES = ['', 'Z', '+dd:dd', '-dd:dd'];

/**
 * The layouts cleared: a date, or a date and time with 0-9 fraction digits and no zone, `Z` or an
 * offset. Exported for the property test, which fills each with random digits.
 */
export const LAYOUTS: readonly string[] = ['dddd-dd-dd', ...FRACTIONS.flatMap((f) => ZONES.map((z) => `dddd-dd-ddTdd:dd:dd${f}${z}`))];

/** True when `value` is, as a whole, one of the timestamp layouts above. */
export function isIsoTimestamp(value: string): boolean {
  if (value.length < 10 || value.charCodeAt(4) !== 45) return false;
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
