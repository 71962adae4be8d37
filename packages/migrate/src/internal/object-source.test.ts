import { describe, expect, it } from 'vitest';
import { instructionFileProofs } from './object-source.js';

const page = (keys: string[], last = false) => ({ objects: keys.map((key) => ({ key, etag: `"${key}"` })), last });
const proven = (entries: ReturnType<typeof instructionFileProofs>) => entries.flatMap((e) => ('listedEtag' in e && e.listedEtag !== undefined ? [e.key] : []));

describe('instructionFileProofs', () => {
  it('proves absence only where the listing went past <key>.instruction without showing it', () => {
    // 'a.instruction' is listed: no proof for 'a'. 'b.instruction' would sort before 'c': proven absent.
    // 'z.instruction' sorts after the last key listed ('z'), and the listing goes on: unknown.
    expect(proven(instructionFileProofs(page(['a', 'a.instruction', 'b', 'c', 'z']), undefined))).toEqual(['a.instruction', 'b', 'c']);
  });

  it('looks into the next page, and trusts the end of the listing', () => {
    const first = page(['a', 'm']);
    expect(proven(instructionFileProofs(first, page(['m.instruction', 'n'])))).toEqual(['a']);
    expect(proven(instructionFileProofs(first, page(['n'])))).toEqual(['a', 'm']);
    expect(proven(instructionFileProofs(first, page(['m-x'], true)))).toEqual(['a', 'm']);
    expect(proven(instructionFileProofs(page(['a', 'b'], true), undefined))).toEqual(['a', 'b']);
    // Keys between an object and its instruction file ('a-1', 'a-2' sort before 'a.instruction'):
    // 'a' is unproven until the listing has gone past 'a.instruction'; 'a-1.instruction' < 'a-2'.
    expect(proven(instructionFileProofs(page(['a', 'a-1']), page(['a-2'])))).toEqual(['a-1']);
  });

  it('compares keys in UTF-8 byte order, as S3 lists them', () => {
    // U+FF5E sorts before U+1F600 in UTF-8 (EF BD.. < F0 9F..), after it in UTF-16 code units.
    const emoji = '\u{1F600}';
    expect(proven(instructionFileProofs(page(['\uFF5E']), page([emoji])))).toEqual(['\uFF5E']);
    expect(proven(instructionFileProofs(page([emoji]), page(['\uFF5E'])))).toEqual([]);
  });

  it('gives no proof for a key listed without an ETag', () => {
    const entries = instructionFileProofs({ objects: [{ key: 'a', etag: undefined }], last: true }, undefined);
    expect(entries).toEqual([{ key: 'a' }]);
  });
});
