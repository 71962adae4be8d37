import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { luhnCheckDigit } from '../test/corpus/identifiers.js';
import { detectPhi, type PhiKind } from './index.js';

const SEGMENTS = ['uploads', 'reports', 'intake', 'archive', 'raw', 'processed', 'tenant-7', 'clinic-a', 'v2', 'exports', 'scan.pdf', 'data.json', 'batch-12'];
const segment = fc.constantFrom(...SEGMENTS);
// At least one path segment around the value: a value that is only a number is a key or a
// counter, which the detectors treat differently (see detect-phi.test.ts).
const pathAround = (inner: fc.Arbitrary<string>) =>
  fc
    .tuple(fc.array(segment, { maxLength: 3 }), inner, fc.array(segment, { maxLength: 3 }), segment)
    .map(([a, v, b, extra]) => ({ path: (a.length + b.length === 0 ? [extra, v] : [...a, v, ...b]).join('/'), value: v }));

const pad = (n: number, w: number) => String(n).padStart(w, '0');
const ssn = fc
  .tuple(fc.integer({ min: 1, max: 899 }).filter((a) => a !== 666), fc.integer({ min: 1, max: 99 }), fc.integer({ min: 1, max: 9999 }))
  .map(([a, g, s]) => `${pad(a, 3)}-${pad(g, 2)}-${pad(s, 4)}`);
// A 10-digit number that is also an epoch second of 2015-2029 or a yyyymmddhh stamp needs an
// NPI label (issue #15): such NPIs are generated with one.
const timeLike = (n: string) => {
  const v = Number(n);
  const [y, m, d, h] = [Number(n.slice(0, 4)), Number(n.slice(4, 6)), Number(n.slice(6, 8)), Number(n.slice(8))];
  return (v >= 1_420_070_400 && v < 1_893_456_000) || (y >= 1900 && y <= 2099 && m >= 1 && m <= 12 && d >= 1 && d <= 31 && h <= 23);
};
const npi = fc.tuple(fc.constantFrom('1', '2'), fc.integer({ min: 0, max: 99_999_999 })).map(([f, r]) => {
  const payload = f + pad(r, 8);
  const n = payload + String(luhnCheckDigit(`80840${payload}`));
  return timeLike(n) ? `npi-${n}` : n;
});
const MBI_LETTERS = 'ACDEFGHJKMNPQRTUVWXY';
const letter = fc.constantFrom(...MBI_LETTERS.split(''));
const digit = fc.constantFrom(...'0123456789'.split(''));
const either = fc.oneof(letter, digit);
const mbi = fc
  .tuple(fc.constantFrom(...'123456789'.split('')), letter, either, digit, letter, either, digit, letter, letter, digit, digit)
  .map((cs) => cs.join(''));
const FIRST = ['james', 'mary', 'john', 'patricia', 'robert', 'jennifer', 'michael', 'linda', 'david', 'elizabeth', 'maria', 'carlos', 'aisha', 'wei'];
const LAST = ['smith', 'johnson', 'williams', 'jones', 'garcia', 'miller', 'davis', 'rodriguez', 'martinez', 'hernandez', 'lopez', 'nguyen', 'patel', 'kim'];
const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const name = fc
  .tuple(fc.constantFrom(...FIRST), fc.constantFrom(...LAST), fc.constantFrom('-', '_', '.', 'camel', 'upper'))
  .map(([f, l, sep]) => (sep === 'camel' ? `${cap(f)}${cap(l)}` : sep === 'upper' ? `${f.toUpperCase()}_${l.toUpperCase()}` : `${f}${sep}${l}`));
const email = fc
  .tuple(fc.constantFrom(...FIRST), fc.constantFrom(...LAST), fc.constantFrom('gmail.com', 'yahoo.com', 'example.org', 'mercy-health.org'))
  .map(([f, l, d]) => `${f}.${l}@${d}`);

function foundAt(path: string, labelled: string, kind: PhiKind): boolean {
  // The finding covers the identifier, not its label (`npi-` before a time-like NPI).
  const value = labelled.startsWith('npi-') ? labelled.slice(4) : labelled;
  const start = path.indexOf(labelled) + labelled.length - value.length;
  return detectPhi(path, { where: 's3.key' }).some((f) => f.kind === kind && f.start <= start && f.end >= start + value.length);
}

describe('detectPhi properties: identifiers embedded in paths are found', () => {
  const cases: [PhiKind, fc.Arbitrary<string>][] = [
    ['ssn', ssn],
    ['npi', npi],
    ['mbi', mbi],
    ['name', name],
    ['email', email],
  ];
  for (const [kind, arb] of cases) {
    it(`finds generated ${kind}s`, () => {
      fc.assert(fc.property(pathAround(arb), ({ path, value }) => foundAt(path, value, kind)), { numRuns: 300 });
    });
  }
});

describe('detectPhi properties: generated ids and times are not PHI', () => {
  const quiet = (arb: fc.Arbitrary<string>) =>
    fc.assert(fc.property(pathAround(arb), ({ path }) => detectPhi(path, { where: 's3.key' }).length === 0), { numRuns: 300 });

  it('UUIDs', () => quiet(fc.uuid()));
  it('hex digests (MD5, SHA-1, SHA-256, git SHAs)', () =>
    quiet(fc.tuple(fc.constantFrom(7, 32, 40, 64), fc.array(fc.constantFrom(...'0123456789abcdef'.split('')), { minLength: 64, maxLength: 64 })).map(([n, cs]) => cs.slice(0, n).join(''))));
  it('ISO-8601 timestamps', () =>
    quiet(fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2035, 0, 1) }).map((ms) => new Date(ms).toISOString())));
  it('semantic versions', () =>
    quiet(fc.tuple(fc.nat(30), fc.nat(99), fc.nat(999), fc.boolean()).map(([a, b, c, v]) => `${v ? 'v' : ''}${a}.${b}.${c}`)));
});

describe('detectPhi properties: total and well-formed on any input', () => {
  it('never throws and returns ordered in-bounds offsets', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (value) => {
        const found = detectPhi(value);
        let last = -1;
        for (const f of found) {
          if (f.start < 0 || f.end > value.length || f.start >= f.end || f.start < last) return false;
          last = f.start;
        }
        return true;
      }),
      { numRuns: 500 },
    );
  });
});

describe('detectPhi properties: no memory between calls', () => {
  // The scan reuses its buffers; a detector that read past the current value's tokens once
  // found `CA -----` a ZIP code right after `CA 12345`, and `PO Box -` an address after `PO Box 123`.
  const piece = fc.constantFrom('CA', 'MA', 'PO', 'Box', 'patient', 'Jun', 'March', 'jane', 'doe', '12345', '123', '14', '1985', '-', ' ', '/', '.', '#', 'x');
  const text = fc.array(piece, { maxLength: 8 }).map((xs) => xs.join(''));
  it('finds the same in a value whatever was checked before it', () => {
    fc.assert(
      fc.property(text, text, text, (before1, before2, value) => {
        detectPhi(before1, { where: 'tag' });
        const first = detectPhi(value, { where: 'tag' });
        detectPhi(before2, { where: 'tag' });
        expect(detectPhi(value, { where: 'tag' })).toEqual(first);
      }),
      { numRuns: 3000 },
    );
  });

  it('does not carry a ZIP code or an address over from the value before', () => {
    detectPhi('CA 12345', { where: 'tag' });
    expect(detectPhi('CA -----', { where: 'tag' })).toEqual([]);
    detectPhi('PO Box 123', { where: 'tag' });
    expect(detectPhi('PO Box -', { where: 'tag' })).toEqual([]);
  });
});
