import { describe, expect, it } from 'vitest';
import { maskValue, safeLabel } from '../src/internal/mask.js';

describe('maskValue', () => {
  it('stars every finding and keeps only the ends of the parts between', () => {
    const value = 'patients/jane-doe/123-45-6789.pdf';
    const masked = maskValue(value, [
      { kind: 'name', start: 9, end: 17 },
      { kind: 'ssn', start: 18, end: 29 },
    ]);
    expect(masked).toBe('p*******/********/***********.**f');
    expect(masked).toHaveLength(value.length);
  });

  it('handles overlapping and unordered findings, and findings at the edges', () => {
    const value = 'abcdefghij';
    expect(maskValue(value, [{ kind: 'custom', start: 4, end: 8 }, { kind: 'custom', start: 0, end: 5 }])).toBe('********ij');
    expect(maskValue(value, [{ kind: 'custom', start: 0, end: 10 }])).toBe('**********');
    expect(maskValue(value, [])).toBe('a********j');
  });
});

describe('safeLabel', () => {
  it('keeps a clean name and masks one with PHI', () => {
    expect(safeLabel('lab-results-payloads', 's3.bucket')).toBe('lab-results-payloads');
    expect(safeLabel('patient-123-45-6789', 's3.bucket')).not.toContain('6789');
  });
});
