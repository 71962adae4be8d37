import { describe, expect, it } from 'vitest';
import { locationText, parseLocation, valueAt } from './terminal-location.js';

describe('terminal locations', () => {
  it('parse document paths with map keys and list indexes', () => {
    expect(parseLocation('a')).toEqual(['a']);
    expect(parseLocation('a.b[1].c')).toEqual(['a', 'b', 1, 'c']);
    expect(parseLocation('a[0][12]')).toEqual(['a', 0, 12]);
    expect(parseLocation('ümlaut.𝄞')).toEqual(['ümlaut', '𝄞']);
    expect(locationText(parseLocation('a.b[1].c')!)).toBe('a.b[1].c');
  });

  it('refuse what is not a path', () => {
    for (const bad of ['', '.a', '[0]', 'a.', 'a..b', 'a[]', 'a[x]', 'a[1', 'a[1]x', 'a.b]', 'a[-1]', 5, null]) {
      expect(parseLocation(bad)).toBeUndefined();
    }
  });

  it('find the value at a path, or nothing when the path does not lead to one', () => {
    const item = { a: { M: { b: { L: [{ S: 'x' }, { M: { c: { N: '1' } } }] } } }, s: { S: 'top' } };
    expect(valueAt(['a', 'b', 1, 'c'], item)).toEqual({ N: '1' });
    expect(valueAt(['s'], item)).toEqual({ S: 'top' });
    expect(valueAt(['a', 'b', 2], item)).toBeUndefined();
    expect(valueAt(['a', 'b', 'c'], item)).toBeUndefined();
    expect(valueAt(['a', 0], item)).toBeUndefined();
    expect(valueAt(['s', 'x'], item)).toBeUndefined();
    expect(valueAt(['missing'], item)).toBeUndefined();
    expect(valueAt(['toString'], item)).toBeUndefined();
  });
});
