import type { VirtualTransform } from '../../beacon-config.js';

// Virtual transforms exactly as the DB-ESDK 3.9.0 computes them (Virtual.dfy DoTransform):
// strings are sequences of UTF-16 code units, as in Java and JavaScript, and positions are
// clamped with GetPos, which maps any position at or past the end to the LAST element (so
// substring(0, 3) of "abc" is "ab" in Java too). Matching the peer byte for byte matters
// more than the prose of virtual.md: a beacon computed differently finds nothing.

/** A validated transform. */
export type Transform =
  | { readonly kind: 'upper' | 'lower' }
  | { readonly kind: 'insert'; readonly literal: string }
  | { readonly kind: 'prefix' | 'suffix'; readonly length: number }
  | { readonly kind: 'substring'; readonly low: number; readonly high: number }
  | { readonly kind: 'segment'; readonly split: string; readonly index: number }
  | { readonly kind: 'segments'; readonly split: string; readonly low: number; readonly high: number };

const INT32 = (n: unknown): n is number => Number.isInteger(n) && (n as number) >= -(2 ** 31) && (n as number) < 2 ** 31;
const CHAR = (c: unknown): c is string => typeof c === 'string' && c.length === 1;

/**
 * Validates one configured transform, or returns undefined when it is not exactly one valid member.
 * @throws never
 * @example
 * ```ts
 * toTransform({ prefix: { length: 3 } }); // { kind: 'prefix', length: 3 }
 * ```
 */
export function toTransform(t: VirtualTransform): Transform | undefined {
  if (typeof t !== 'object' || t === null) return undefined;
  const keys = Object.keys(t);
  if (keys.length !== 1) return undefined;
  const kind = keys[0]!;
  const v = (t as Record<string, Record<string, unknown> | undefined>)[kind];
  if (typeof v !== 'object' || v === null) return undefined;
  switch (kind) {
    case 'upper':
    case 'lower':
      return Object.keys(v).length === 0 ? { kind } : undefined;
    case 'insert':
      return typeof v['literal'] === 'string' ? { kind, literal: v['literal'] } : undefined;
    case 'prefix':
    case 'suffix':
      return INT32(v['length']) ? { kind, length: v['length'] } : undefined;
    case 'substring':
      return INT32(v['low']) && INT32(v['high']) ? { kind, low: v['low'], high: v['high'] } : undefined;
    case 'segment':
      return CHAR(v['split']) && INT32(v['index']) ? { kind, split: v['split'], index: v['index'] } : undefined;
    case 'segments':
      return CHAR(v['split']) && INT32(v['low']) && INT32(v['high']) ? { kind, split: v['split'], low: v['low'], high: v['high'] } : undefined;
    default:
      return undefined;
  }
}

/** Virtual.dfy GetPos: a position clamped into [0, limit - 1] (0 for an empty list). */
function position(pos: number, limit: number): number {
  if (limit === 0) return 0;
  if (pos >= 0) return Math.min(pos, limit - 1);
  return limit + pos < 0 ? 0 : limit + pos;
}

function range<T>(list: readonly T[], low: number, high: number): T[] | undefined {
  const lo = position(low, list.length);
  const hi = position(high, list.length);
  return lo < hi ? list.slice(lo, hi) : undefined;
}

const ascii = (s: string, from: RegExp, shift: number): string => s.replace(from, (c) => String.fromCharCode(c.charCodeAt(0) + shift));

/**
 * Applies one transform.
 * @throws never
 * @example
 * ```ts
 * applyTransform({ kind: 'segment', split: '-', index: -1 }, 'a-b-c'); // 'c'
 * ```
 */
export function applyTransform(t: Transform, s: string): string {
  switch (t.kind) {
    case 'upper':
      return ascii(s, /[a-z]/g, -32);
    case 'lower':
      return ascii(s, /[A-Z]/g, 32);
    case 'insert':
      return s + t.literal;
    case 'prefix':
      return t.length >= 0 ? s.slice(0, Math.min(t.length, s.length)) : s.slice(0, s.length - Math.min(-t.length, s.length));
    case 'suffix':
      return t.length >= 0 ? s.slice(s.length - Math.min(t.length, s.length)) : s.slice(Math.min(-t.length, s.length));
    case 'substring': {
      const lo = position(t.low, s.length);
      const hi = position(t.high, s.length);
      return lo < hi ? s.slice(lo, hi) : '';
    }
    case 'segment': {
      const parts = s.split(t.split);
      return t.index >= parts.length || -t.index > parts.length ? '' : parts[position(t.index, parts.length)]!;
    }
    case 'segments':
      return range(s.split(t.split), t.low, t.high)?.join(t.split) ?? '';
  }
}
