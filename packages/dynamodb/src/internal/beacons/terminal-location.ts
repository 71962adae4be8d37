import type { AttributeValue } from '@aws-sdk/client-dynamodb';

// Terminal locations (searchable-encryption/virtual.md "Terminal Location"; DB-ESDK TermLoc.dfy
// MakeTermLoc / TermToAttr): a document path `name`, `name.key`, `name[3].key`. Parsing is
// stricter than the DB-ESDK's at one point only: an empty map key or `[]` is refused at
// configuration time instead of naming an attribute no item can have.

/** A parsed location: the top-level attribute, then map keys (string) and list indexes (number). */
export type TermLoc = readonly [string, ...(string | number)[]];

/**
 * Parses a terminal location, or returns undefined when it is not one.
 * @throws never
 * @example
 * ```ts
 * parseLocation('a.b[1].c'); // ['a', 'b', 1, 'c']
 * ```
 */
export function parseLocation(text: unknown): TermLoc | undefined {
  if (typeof text !== 'string' || text.length === 0) return undefined;
  const first = text.search(/[.[]/);
  if (first === 0) return undefined;
  if (first < 0) return [text];
  const out: [string, ...(string | number)[]] = [text.slice(0, first)];
  let rest = text.slice(first);
  while (rest.length > 0) {
    const next = rest.slice(1).search(/[.[]/);
    const end = next < 0 ? rest.length : next + 1;
    const segment = rest.slice(0, end);
    rest = rest.slice(end);
    if (segment.startsWith('.')) {
      if (segment.length === 1 || segment.includes(']')) return undefined;
      out.push(segment.slice(1));
    } else {
      const index = /^\[(\d{1,15})\]$/.exec(segment);
      if (!index) return undefined;
      out.push(Number(index[1]));
    }
  }
  return out;
}

/**
 * The location written back as a path.
 * @throws never
 * @example
 * ```ts
 * locationText(['a', 'b', 1]); // 'a.b[1]'
 * ```
 */
export function locationText(loc: TermLoc): string {
  return loc.map((s, i) => (i === 0 ? String(s) : typeof s === 'number' ? `[${s}]` : `.${s}`)).join('');
}

/**
 * The value at `loc` in an item, or undefined when the path does not lead to a value.
 * @throws never
 * @example
 * ```ts
 * valueAt(['a', 0], { a: { L: [{ S: 'x' }] } }); // { S: 'x' }
 * ```
 */
export function valueAt(loc: TermLoc, item: Readonly<Record<string, AttributeValue | undefined>>): AttributeValue | undefined {
  if (!Object.hasOwn(item, loc[0])) return undefined;
  let value = item[loc[0]];
  for (let i = 1; i < loc.length && value !== undefined; i++) {
    const step = loc[i]!;
    if (typeof step === 'number') value = value.L !== undefined && step < value.L.length ? value.L[step] : undefined;
    else value = value.M !== undefined && Object.hasOwn(value.M, step) ? value.M[step] : undefined;
  }
  return value;
}

/**
 * Two locations are the same path.
 * @throws never
 * @example
 * ```ts
 * sameLocation(['a', 1], ['a', 1]); // true
 * ```
 */
export function sameLocation(a: TermLoc, b: TermLoc): boolean {
  return a.length === b.length && a.every((s, i) => s === b[i]);
}
