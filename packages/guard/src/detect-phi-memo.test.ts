// detectPhi remembers short values it found clean (per surface profile): a repeated check must
// give exactly what the scan gives, flagged values are always scanned, and the memory is bounded.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { detectPhi } from './detect-phi.js';
import type { Surface } from './types.js';

const surfaces: Surface[] = ['s3.key', 'dynamodb.table', 'encryptionContext', 'dynamodb.key', 'tag'];

describe('detectPhi clean-value memo', () => {
  it('gives the same findings on every check of a value, on any surface, in any order', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.oneof(fc.string(), fc.constantFrom('Jane Doe', '123-45-6789', 'jane@example.org', 'clinic-042', 'profile')), fc.constantFrom(...surfaces)), { maxLength: 20 }), (checks) => {
        const first = checks.map(([value, where]) => detectPhi(value, { where }));
        const again = [...checks].reverse().map(([value, where]) => detectPhi(value, { where }));
        expect(again.reverse()).toEqual(first);
      }),
    );
  });

  it('never remembers a flagged value, and hands out a fresh empty list for a remembered one', () => {
    for (let i = 0; i < 3; i++) expect(detectPhi('ssn 123-45-6789', { where: 'encryptionContext' }).length).toBeGreaterThan(0);
    const clean = detectPhi('clinic-042', { where: 'encryptionContext' });
    expect(clean).toEqual([]);
    clean.push({ kind: 'custom', start: 0, end: 1 });
    expect(detectPhi('clinic-042', { where: 'encryptionContext' })).toEqual([]);
  });

  it('keeps its answers right across generations (more distinct values than it holds)', () => {
    for (let i = 0; i < 3000; i++) expect(detectPhi(`order-${i.toString(36)}-x`, { where: 'encryptionContext' })).toEqual([]);
    expect(detectPhi('patient Jane Doe', { where: 'tag' }).length).toBeGreaterThan(0);
    expect(detectPhi('order-0-x', { where: 'encryptionContext' })).toEqual([]);
  });

  it('reads a value the same on surfaces with different rules (an S3 key path and free text)', () => {
    const value = 'reports/2024/11/03/summary.pdf';
    const asKey = detectPhi(value, { where: 's3.key' });
    const asText = detectPhi(value, { where: 'tag' });
    expect(detectPhi(value, { where: 's3.key' })).toEqual(asKey);
    expect(detectPhi(value, { where: 'tag' })).toEqual(asText);
  });
});
