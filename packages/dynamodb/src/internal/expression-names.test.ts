import { describe, expect, it } from 'vitest';
import { projectedNames, referencedNames } from './expression-names.js';

describe('referencedNames', () => {
  it('resolves aliases, skips nested segments, keywords, functions and values', () => {
    const r = referencedNames('#a.b[0].c = :v AND size(d) > :n OR NOT begins_with(#e, :p) AND f IN (:x, :y)', {
      '#a': 'alpha',
      '#e': 'echo',
    });
    expect([...r.values].sort()).toEqual(['alpha', 'd', 'echo', 'f']);
    expect([...r.existence]).toEqual([]);
  });

  it('separates names only tested for existence', () => {
    const r = referencedNames('attribute_not_exists(#pk) AND attribute_exists(secret) AND v = :v', { '#pk': 'pk' });
    expect([...r.existence].sort()).toEqual(['pk', 'secret']);
    expect([...r.values]).toEqual(['v']);
  });

  it('reads update expressions', () => {
    const r = referencedNames('SET #n = :n, note = list_append(note, :l) REMOVE old ADD cnt :one', { '#n': 'name' });
    expect([...r.values].sort()).toEqual(['cnt', 'name', 'note', 'old']);
  });

  it('lists projected top-level names', () => {
    expect(projectedNames('a, #b.c, d[1]', { '#b': 'bee' })).toEqual(['a', 'bee', 'd']);
  });
});
