import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { luhnCheckDigit } from '../../test/corpus/identifiers.js';
import { createGuard } from '../create-guard.js';
import { detectAll, detectPhi } from '../detect-phi.js';
import { isCleanShape } from './clean-shapes.js';
import { profileOf } from './surfaces.js';

// An outside review of the clean-shape shortcut (issue #14): whatever an attacker puts in a key,
// a value the shortcut clears must be one the full detectors (no memo, no shortcut) clear on
// every surface, and the memo it fills must never answer for a surface whose profile differs.
// clean-shapes.property.test.ts checks each branch; this file mixes them: identifiers of every
// kind planted inside UUIDs and opaque ids, glued with every ASCII separator, repeated past the
// memo's length limit, and lookalikes outside ASCII.

const SURFACES = ['s3.key', 's3.bucket', 'dynamodb.table', 'dynamodb.key', 'dynamodb.attributeName', 'encryptionContext', 'tag', 's3.metadata', 'sqs.attribute', 'kms.alias'];
const PROFILES = [...new Set(SURFACES.map((s) => profileOf(s)))];

function unsound(value: string): string | undefined {
  if (!isCleanShape(value)) return undefined;
  for (const profile of PROFILES) {
    const found = detectAll(value, profile);
    if (found.length > 0) return `${JSON.stringify(value)}: ${found[0]!.kind}`;
  }
  return undefined;
}

const digits = (min: number, max: number) => fc.stringMatching(new RegExp(`^[0-9]{${min},${max}}$`));
const withLuhn = (payload: string): string => payload + String(luhnCheckDigit(payload));
/** Identifiers as their digits alone: SSN, NPI-like, phone, card of a known issuer, compact dates. */
const planted = fc.oneof(
  digits(9, 9),
  digits(9, 9).map((d) => withLuhn(`1${d}`.slice(0, 9))),
  digits(7, 7).map((d) => `555${d}`),
  fc.tuple(fc.constantFrom('4', '51', '37', '6011', '2221', '35'), digits(14, 14), fc.integer({ min: 12, max: 18 })).map(([iin, d, n]) => withLuhn((iin + d).slice(0, n))),
  fc.tuple(fc.constantFrom('19', '20'), digits(2, 2), fc.constantFrom('01', '03', '12'), fc.constantFrom('14', '28', '31')).map((p) => p.join('')),
  digits(1, 20),
);
const hexString = (n: number) => fc.array(fc.constantFrom(...'0123456789abcdef'), { minLength: n, maxLength: n }).map((a) => a.join(''));
/** A UUID with an identifier planted at any offset of its 32 hex digits, in any case. */
const plantedUuid = fc.tuple(hexString(32), planted, fc.nat(31), fc.constantFrom('lower', 'upper', 'mixed')).map(([hex, p, at, cased]) => {
  const h = (hex.slice(0, at) + p + hex.slice(at + p.length)).slice(0, 32);
  const c = cased === 'lower' ? h : cased === 'upper' ? h.toUpperCase() : [...h].map((x, i) => (i % 2 ? x.toUpperCase() : x)).join('');
  return `${c.slice(0, 8)}-${c.slice(8, 12)}-${c.slice(12, 16)}-${c.slice(16, 20)}-${c.slice(20)}`;
});
const ALNUM = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const segment = fc.oneof(
  planted,
  plantedUuid,
  fc.stringMatching(/^[0-9a-f]{1,30}$/),
  fc.stringMatching(/^[0-9A-Za-z]{1,40}$/),
  fc.stringMatching(/^[0-9A-HJKMNP-TV-Z]{10,30}$/),
  fc.uint8Array({ minLength: 1, maxLength: 40 }).chain((b) => fc.constantFrom('base64', 'base64url', 'hex') .map((enc) => Buffer.from(b).toString(enc as BufferEncoding))),
  fc.tuple(fc.constantFrom('mrn', 'ssn', 'dob', 'pt', 'age', 'Dec', 'DEA', 'MA', 'po', 'gmail', 'at', 'fax', 'npi', 'zip'), digits(0, 10)).map(([w, d]) => w + d),
  fc.tuple(fc.array(fc.constantFrom(...ALNUM), { minLength: 12, maxLength: 40 }), digits(0, 12)).map(([a, d]) => a.join('') + d),
);
// Every printable ASCII separator the walk lets through, and the ones that announce numbers.
const SEPARATORS = [...' !"#$&\'()*+,-/;<=>?[\\]^_`{|}~', '\t', '\n', '--', '__', '+1', '(5', ' #'];
const composite = fc
  .tuple(fc.constantFrom('', ...SEPARATORS), fc.array(fc.tuple(fc.constantFrom(...SEPARATORS), segment), { minLength: 1, maxLength: 6 }), fc.constantFrom('', ...SEPARATORS))
  .map(([lead, parts, tail]) => lead + parts.map(([s, p], k) => (k === 0 ? p : s + p)).join('') + tail);

describe('isCleanShape under attack: a cleared value holds no finding on any surface', () => {
  it('identifiers planted in UUIDs, opaque ids, hex and base64, joined by every separator', () => {
    fc.assert(fc.property(composite, (v) => unsound(v) === undefined), { numRuns: 8000 });
    fc.assert(fc.property(plantedUuid, (v) => unsound(v) === undefined), { numRuns: 5000 });
  });

  it('values repeated past the memo length limit (256) and right at it', () => {
    fc.assert(
      fc.property(composite, fc.integer({ min: 2, max: 40 }), fc.integer({ min: 250, max: 262 }), (v, times, cut) => {
        const long = v.repeat(times);
        return unsound(long) === undefined && unsound(long.slice(0, cut)) === undefined;
      }),
      { numRuns: 1500 },
    );
  });

  it('never clears a value outside ASCII (lookalike digits, letters, lone surrogates): the full scan decides', () => {
    const lookalikes = ['\uFF11\uFF12\uFF13-\uFF14\uFF15-\uFF16\uFF17\uFF18\uFF19', '123\u201345\u20136789', '\u0661\u0662\u0663-45-6789', '3f2b8c1e-4a5d-4e6f-8a7b-9c0d1e2f3a4\u0431', '3f2b8c1e-4a5d-4e6f-8a7b-9c0d1e2f3a4b\uD800', '\uDC00123456789', 'Jos\u00e9-Garc\u00eda-1985'];
    for (const v of lookalikes) expect(isCleanShape(v), v).toBe(false);
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 50 }), (v) => unsound(v) === undefined), { numRuns: 5000 });
  });
});

describe('the memo the shortcut fills answers per surface, exactly as the full detectors', () => {
  it('a value asked on one surface and then on every other gets each surface profile own answer', () => {
    const values = fc.oneof(composite, plantedUuid, fc.constantFrom('2024/11/03', 'patients/2024-06-19', 'Jane Roe', '2026-11-29T09:30:00Z', 'visits/2024/11/03/3f2b8c1e'));
    fc.assert(
      fc.property(values, fc.shuffledSubarray(SURFACES, { minLength: SURFACES.length }), (v, order) => {
        for (const where of order) expect(detectPhi(v, { where })).toEqual(detectAll(v, profileOf(where)));
        for (const where of order) expect(detectPhi(v, { where })).toEqual(detectAll(v, profileOf(where)));
      }),
      { numRuns: 300 },
    );
  });
});

describe('guard policy around cleared values', () => {
  it('deny patterns still fire inside a value the shortcut clears; kinds and allow only narrow', () => {
    const uuid = '3f2b8c1e-4a5d-4e6f-8a7b-9c0d1e2f3a4b';
    expect(isCleanShape(uuid)).toBe(true);
    expect(() => createGuard({ deny: ['4e6f'] }).check(uuid, 'dynamodb.key')).toThrow(expect.objectContaining({ code: 'PHI_DETECTED' }));
    expect(() => createGuard({ deny: [/8a7b-9c0d/] }).check(uuid, 'encryptionContext')).toThrow(expect.objectContaining({ code: 'PHI_DETECTED' }));
    expect(createGuard({ kinds: { custom: false }, deny: ['4e6f'] }).inspect(uuid, 'dynamodb.key')).toEqual([]);
    expect(createGuard({ kinds: { ssn: true } }).inspect(uuid, 'dynamodb.key')).toEqual([]);
    // A value the shortcut cannot clear keeps its finding whatever the other kinds say.
    expect(createGuard({ kinds: { name: false } }).inspect('85472596-7a47-6fe5-5320-130511542901', 'dynamodb.key').map((f) => f.kind)).toEqual(['payment-card']);
  });
});
