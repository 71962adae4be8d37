import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { luhnCheckDigit } from '../../test/corpus/identifiers.js';
import { detectAll } from '../detect-phi.js';
import { detectPhi } from '../index.js';
import { isCleanShape } from './clean-shapes.js';
import { LAYOUTS } from './clean-timestamps.js';
import { profileOf } from './surfaces.js';

// isCleanShape is a shortcut of detectPhi: a value it passes must be one the full detectors find
// nothing in, on every surface (detectAll: no memo, no shortcut). Checked differentially over
// arbitrary strings and over identifier shapes that reach its every branch: UUIDs with digit-heavy
// groups (payment cards hide there), every case, with text around; base64 of any bytes (the
// DB-ESDK context form of a key), hex, digit runs of every length between separators.

const PROFILES = ['s3.key', 'dynamodb.table', 'dynamodb.key', 'encryptionContext', 'tag'] as const;

function sound(value: string): boolean {
  if (!isCleanShape(value)) return true;
  return PROFILES.every((where) => detectAll(value, profileOf(where)).length === 0);
}

const check = (arb: fc.Arbitrary<string>, numRuns = 2000) => fc.assert(fc.property(arb, sound), { numRuns });

const DIGITS = '0123456789'.split('');
const HEX_LETTERS = 'abcdef'.split('');
/** Hex digits, mostly digits or mostly letters: all-digit groups and letter runs both occur. */
const hexChar = (digitWeight: number) => fc.oneof({ arbitrary: fc.constantFrom(...DIGITS), weight: digitWeight }, { arbitrary: fc.constantFrom(...HEX_LETTERS), weight: 10 - digitWeight });
const uuid = fc
  .tuple(fc.integer({ min: 1, max: 9 }).chain((w) => fc.array(hexChar(w), { minLength: 32, maxLength: 32 })), fc.constantFrom('lower', 'upper', 'mixed'))
  .map(([cs, cased]) => {
    const hex = cs.map((c, k) => (cased === 'upper' || (cased === 'mixed' && k % 3 === 0) ? c.toUpperCase() : c)).join('');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  });
/** A UUID whose last two groups are a Luhn-valid card number of a known issuer (4 + 12 digits). */
const cardUuid = fc
  .tuple(uuid, fc.constantFrom('4', '51', '55', '2221', '2720', '6011', '65', '3528'), fc.array(fc.constantFrom(...DIGITS), { minLength: 15, maxLength: 15 }))
  .map(([u, iin, ds]) => {
    const payload = (iin + ds.join('')).slice(0, 15);
    const card = payload + String(luhnCheckDigit(payload));
    return `${u.slice(0, 19)}${card.slice(0, 4)}-${card.slice(4)}`;
  });
/** Words the detectors read (labels, names, months, street, mail and age words), some spelled in hex letters. */
const WORDS = ['patient', 'mrn', 'ssn', 'dob', 'npi', 'zip', 'jane', 'Doe', 'okafor', 'dec', 'acc', 'dea', 'feb', 'Mar', 'age', 'born', 'yo', 'MA', 'CA', 'po', 'box', 'st', 'ave', 'gmail', 'com', 'at', 'city', 'lat', 'uid', 'serial'];
const wordy = fc
  .array(fc.oneof(fc.constantFrom(...WORDS), fc.stringMatching(/^[0-9]{1,12}$/), fc.stringMatching(/^[0-9a-f]{1,6}$/)), { minLength: 1, maxLength: 5 })
  .chain((parts) => fc.array(fc.constantFrom('', '', '-', '_', ' ', '/'), { minLength: parts.length, maxLength: parts.length }).map((seps) => parts.map((p, k) => (k === 0 ? p : seps[k] + p)).join('')));
/** Every timestamp layout clean-timestamps.ts clears, with any digits (valid dates or not), and real ones. */
const timestamp = fc.oneof(
  fc
    .tuple(fc.constantFrom(...LAYOUTS), fc.array(fc.constantFrom(...DIGITS), { minLength: 40, maxLength: 40 }))
    .map(([layout, ds]) => {
      let k = 0;
      return layout.replace(/d/g, () => ds[k++] ?? '0');
    }),
  fc.date({ min: new Date(-2208988800000), max: new Date(4102444800000), noInvalidDate: true }).chain((d) => fc.constantFrom(d.toISOString(), d.toISOString().slice(0, 19) + 'Z', d.toISOString().slice(0, 10), d.toISOString().replace('Z', '+05:30'), d.toISOString().slice(0, 19) + '.123456-08:00')),
);
const SEPARATORS = ['-', '_', '/', '+', '=', ' ', '(', ')', '#', '~', ',', '*', '.', ':', '@', '%', '--', '__'];
const around = (arb: fc.Arbitrary<string>) =>
  fc.tuple(fc.constantFrom('', 'x-', '+', '(', '-', 'pt-', 'AB-', '1-', '12_'), arb, fc.constantFrom('', '-1', '/ab', '.pdf', '-AB', '_9', ' 12345')).map(([a, v, b]) => a + v + b);
const bytes = fc.uint8Array({ maxLength: 48 });
const encoded = fc.tuple(bytes, fc.constantFrom('base64', 'base64url', 'hex') as fc.Arbitrary<BufferEncoding>).map(([b, enc]) => Buffer.from(b).toString(enc));
/** A DynamoDB key value as the DB-ESDK puts it in the encryption context: type id, then the value, base64. */
const contextForm = fc.tuple(fc.constantFrom(1, 2), fc.oneof(fc.uuid(), fc.string(), fc.nat().map(String))).map(([type, v]) => Buffer.concat([Buffer.from([0, type]), Buffer.from(v)]).toString('base64'));
const piece = fc.oneof(fc.stringMatching(/^[0-9]{1,20}$/), fc.stringMatching(/^[0-9a-fA-F]{1,16}$/), fc.stringMatching(/^[0-9a-zA-Z]{1,24}$/), uuid);
const joined = fc.array(fc.tuple(fc.constantFrom(...SEPARATORS), piece), { minLength: 1, maxLength: 6 }).map((parts) => parts.map(([s, p], k) => (k === 0 ? p : s + p)).join(''));

describe('isCleanShape: a value it passes holds no finding on any surface', () => {
  it('arbitrary strings (printable and any UTF-16)', () => {
    check(fc.string({ maxLength: 60 }));
    check(fc.string({ unit: 'binary', maxLength: 60 }));
  });
  it('UUIDs of every digit density and case, alone and with text around', () => {
    check(uuid, 5000);
    check(around(uuid), 3000);
    check(cardUuid, 1000);
  });
  it('base64, base64url and hex of any bytes; DB-ESDK context forms of key values', () => {
    check(encoded, 3000);
    check(contextForm, 3000);
  });
  it('digit runs, hex and alphanumeric pieces of every length between separators', () => {
    check(joined, 5000);
  });
  it('ISO-8601 timestamps of every digit, and their near misses', () => {
    check(timestamp, 10000);
    check(fc.tuple(timestamp, fc.nat(34), fc.constantFrom('1', '+', '/', 'a', '.', ' ')).map(([t, k, c]) => t.slice(0, k) + c + t.slice(k + 1)), 2000);
  });
  it('words the detectors read, glued to digits and hex or between separators', () => {
    check(wordy, 3000);
  });
});

describe('isCleanShape: what it passes and what it leaves to the detectors', () => {
  it('passes random v4 UUIDs, their context form, opaque ids and numeric keys', () => {
    for (const value of [
      '3f2b8c1e-4a5d-4e6f-8a7b-9c0d1e2f3a4b',
      '00b81c48-8389-4d1d-92aa-7481a1b960a0',
      'AAEwMGI4MWM0OC04Mzg5LTRkMWQtOTJhYS03NDgxYTFiOTYwYTA=',
      '01ARZ3NDEKTSV4RRFFQ69G5FAV',
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
      '1000013',
      '2026-11-29T09:30:00.000Z',
      '1931-02-30T99:99:99Z',
      '2026-11-29T09:30:00.123456789+01:00',
      '2024-06-19',
    ]) {
      expect(isCleanShape(value), value).toBe(true);
      expect(detectPhi(value, { where: 'dynamodb.key' })).toEqual([]);
    }
  });
  it('leaves values it cannot clear to the full scan, which may find PHI in them', () => {
    // A UUID whose last two groups are a Luhn-valid card number; words; an SSN; an e-mail.
    expect(isCleanShape('85472596-7a47-6fe5-5320-130511542901')).toBe(false);
    expect(detectPhi('85472596-7a47-6fe5-5320-130511542901', { where: 'dynamodb.key' }).map((f) => f.kind)).toEqual(['payment-card']);
    for (const value of ['pt-000123', 'jane-doe', '123-45-6789', 'a@b.org', '1189dea0-4e38-41f0-97b7-ddd776cb7bb8', '2026-11-29 09:30:00', '2026-11-29T09:30:00.1234567890Z']) {
      expect(isCleanShape(value), value).toBe(false);
    }
  });
});
