import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Finding } from '../types.js';
import { runDetectors } from '../detect-phi.js';
import { settle } from './findings.js';
import { foldLatin } from './fold.js';
import { scan } from './scan.js';
import { profileOf } from './surfaces.js';
import { S_AGE, S_AGE_WORD, S_DOTTED, S_LABEL, S_MAC, S_MAIL_WORD, S_NUMBER, S_STREET, S_STRUCTURED, T_DATE } from './tag-bits.js';
import { ALPHA, DIGIT } from './token-kinds.js';

const SURFACES = ['s3.key', 's3.bucket', 'tag', 'encryptionContext', 'dynamodb.key', undefined] as const;

/** Findings with the scan's tags (gates on) and with every bit set (every detector walks every token). */
function both(value: string, where: (typeof SURFACES)[number]): [Finding[], Finding[]] {
  const profile = profileOf(where);
  const folded = foldLatin(value);
  const gated = scan(folded);
  const withGates: Finding[] = [];
  runDetectors(gated, profile, withGates);
  // Ungated: every scan-level bit, and each token tagged as the detectors read it before the
  // tags (numbers read digit runs only; dates read digit runs and words).
  const open = scan(folded);
  for (let t = 0; t < open.count; t++) open.tag[t] = open.kind[t] === DIGIT ? 255 : open.kind[t] === ALPHA ? T_DATE : 0;
  open.shape = -1;
  const without: Finding[] = [];
  runDetectors(open, profile, without);
  return [settle(withGates), settle(without)];
}

// Pieces that reach every detector's first tests: digit groups of every length, the separators
// each detector reads, labels, month and street words, hex pairs, names.
const PIECES = [
  '1', '2', '9', '0', '12', '03', '14', '90', '92', '104', '123', '617', '555', '0142', '1234', '1931', '1985', '2024', '12345', '123456',
  '20240619', '44', '--', '__', '123456789', '1234567890', '1245319599', '16175550142', '4111111111111111', '1.2.840.113619', '2.25', '40.7128', '74.0060',
  '-', '-', '.', '.', '/', '/', ':', '_', ' ', ' ', ',', '+', '(', ')', '@', '%40', '#', '=', '^',
  'patient', 'patients', 'ssn', 'dob', 'age', 'born', 'mrn', 'npi', 'zip', 'zip3', 'phone', 'fax', 'city', 'lat', 'geo', 'plate', 'dl', 'serial',
  'uid', 'StudyInstanceUID', 'version', 'v', 'vpc', 'mac', 'Mar', 'march', 'st', 'Main', 'Street', 'ave', 'po', 'box', 'MA', 'CA', 'NY',
  'a1', 'aa', 'ff', 'fe80', '3f2b8c1e', '4a5d', 'jane', 'doe', 'Jane', 'Doe', 'okafor', 'uploads', 'gmail', 'com', 'at', 'years', 'old', 'yo',
  'AB', '1EG4', 'TE5', 'MK72', 'AB1234563', '1M8GDM9AXKP042788', 'http://', 'www.',
];
const value = fc.array(fc.constantFrom(...PIECES), { minLength: 1, maxLength: 14 }).map((xs) => xs.join(''));

describe('tagging in the scan', () => {
  it('finds exactly what the detectors find without it, on any mix of the shapes they read', () => {
    fc.assert(
      fc.property(value, fc.constantFrom(...SURFACES), (v, where) => {
        const [withGates, without] = both(v, where);
        expect(withGates).toEqual(without);
      }),
      { numRuns: 4000 },
    );
  });

  it('finds exactly the same on arbitrary strings', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), fc.constantFrom(...SURFACES), (v, where) => {
        const [withGates, without] = both(v, where);
        expect(withGates).toEqual(without);
      }),
      { numRuns: 2000 },
    );
  });

  it('leaves the detectors of a plain S3 key nothing to do but names and dates', () => {
    const s = scan('uploads/2024/03/14/3f2b8c1e-4a5d-4e6f-8a7b-9c0d1e2f3a4b.pdf');
    for (const bit of [S_NUMBER, S_DOTTED, S_AGE, S_LABEL, S_MAC, S_STRUCTURED, S_STREET]) expect(s.shape & bit).toBe(0);
  });

  it('sets each gate on a value its detector reports', () => {
    const cases: [string, number][] = [
      ['patients/123-45-6789.pdf', S_NUMBER],
      ['host-203.0.113.7', S_DOTTED],
      ['patient-age-92', S_AGE],
      ['patient-age-92', S_AGE_WORD],
      ['born-1931', S_AGE_WORD],
      ['jane-doe-gmail-com', S_MAIL_WORD],
      ['mrn-10293847', S_LABEL],
      ['device-a4:5e:60:c2:1f:9b', S_MAC],
      ['1EG4-TE5-MK72', S_STRUCTURED],
      ['12 Main Street', S_STREET],
    ];
    for (const [v, bit] of cases) {
      const s = scan(v);
      expect(s.shape & bit).toBe(bit);
    }
  });
});
