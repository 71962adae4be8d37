import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { PhisealError } from '@phiseal/core';
import { serializeAttribute } from '../dbesdk/attribute-serialization.js';
import { normalizeNumber } from '../number-normalize.js';
import type { ResolvedBeacon, ResolvedCompound, ResolvedConstructor, ResolvedPart, VirtualFields } from './beacon-model.js';
import { constructParts, partValue, stringAt, standardBeacon, type BeaconKeys, type ConstructedPart } from './beacon-values.js';
import { valueAt } from './terminal-location.js';

// The beacon of a query value (beacons.md "getPart"; CompoundBeacon.dfy GetBeaconValue with
// forEquality) and the check that drops false positives after decryption: a beacon is a
// truncated HMAC, so several plaintexts share each value by design.

/** A query value: the source value (standard), or the compound's plain text `C-north.L-Hopper`, or its parts by name. */
export type BeaconInput = string | number | Readonly<Record<string, string | number>>;

/** A query's beacon value and the test a decrypted wire-form item must pass. */
export type BeaconQuery = { readonly value: string; readonly matches: (item: Readonly<Record<string, AttributeValue | undefined>>) => boolean };

const bad = (name: string, why: string): PhisealError => new PhisealError('INVALID_ARGUMENT', `Beacon "${name}": ${why}.`, { details: { beacon: name } });

function text(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return normalizeNumber(String(v));
  return undefined;
}

/** CompoundBeacon.dfy CanConstruct: the parts appear in this order in some constructor, skipping only optional ones. */
function canConstruct(con: ResolvedConstructor, parts: readonly ResolvedPart[]): boolean {
  let i = 0;
  let matched = false;
  for (const c of con) {
    if (i === parts.length) return true;
    if (c.part === parts[i]) {
      i++;
      matched = true;
    } else if (c.required && matched) return false;
  }
  return i === parts.length;
}

type QueryPart = { readonly part: ResolvedPart; readonly text: string };

function fromText(c: ResolvedCompound, plain: string): QueryPart[] {
  const pieces = plain.split(c.split);
  const parts = pieces.map((piece) => {
    const part = c.parts.find((p) => piece.startsWith(p.prefix));
    if (!part) throw bad(c.name, 'a piece of the value matches no part prefix');
    return { part, text: piece.slice(part.prefix.length) };
  });
  if (!c.constructors.some((con) => canConstruct(con, parts.map((p) => p.part)))) throw bad(c.name, 'no constructor builds the parts in that order');
  return parts;
}

function fromParts(c: ResolvedCompound, values: Readonly<Record<string, unknown>>): QueryPart[] | undefined {
  for (const con of c.constructors) {
    const out: QueryPart[] = [];
    let ok = true;
    for (const { part, required } of con) {
      const v = text(values[part.name]);
      if (v !== undefined) out.push({ part, text: v });
      else if (required) ok = false;
    }
    if (ok) return out;
  }
  return undefined;
}

/** The decrypted item builds the same parts; numbers compare by value (the read gives 1.5 for a stored "01.50"). */
function sameParts(c: ResolvedCompound, wanted: readonly QueryPart[], item: Readonly<Record<string, AttributeValue | undefined>>, vfs: VirtualFields): boolean {
  let got: ConstructedPart[] | undefined;
  try {
    got = constructParts(c, item, vfs);
  } catch {
    return false;
  }
  return (
    got !== undefined &&
    got.length === wanted.length &&
    got.every((g, i) => g.part === wanted[i]!.part && (g.text === wanted[i]!.text || (g.numeric && normalizeNumber(g.text) === normalizeNumber(wanted[i]!.text))))
  );
}

function compoundQuery(c: ResolvedCompound, keys: BeaconKeys, input: BeaconInput, vfs: VirtualFields): BeaconQuery {
  const wanted = typeof input === 'string' ? fromText(c, input) : typeof input === 'object' && input !== null ? fromParts(c, input) : undefined;
  if (wanted === undefined) throw bad(c.name, 'give its plain text or a value for every required part of a constructor');
  const value = wanted.map((p) => partValue(c, p.part, p.text, keys)).join(c.split);
  return { value, matches: (item) => sameParts(c, wanted, item, vfs) };
}

/**
 * The beacon value of a query and its false-positive test.
 * @throws PhisealError INVALID_ARGUMENT (partOnly or asSet beacon, unusable value).
 * @example
 * ```ts
 * const q = queryValue(beacon, keys, 'ada@example.org', vfs); // q.value '3f9a'
 * ```
 */
export function queryValue(b: ResolvedBeacon, keys: BeaconKeys, input: BeaconInput, vfs: VirtualFields): BeaconQuery {
  if (b.kind === 'compound') return compoundQuery(b, keys, input, vfs);
  if (b.partOnly) throw bad(b.name, 'a partOnly beacon is queried through its compound beacons');
  const raw = typeof input === 'object' && input !== null ? (input[b.name] ?? input[b.loc[0]]) : input;
  const s = text(raw);
  if (s === undefined) throw bad(b.name, 'needs a string or number value');
  const hmacKey = keys.get(b.keyName)!;
  if (b.loc.length === 1 && vfs.has(b.loc[0])) {
    return { value: standardBeacon(hmacKey, b.length, Buffer.from(s, 'utf8')), matches: (item) => stringAt(b.loc, item, vfs, b.name) === s };
  }
  const wanted = serializeAttribute(typeof raw === 'string' ? { S: s } : { N: s });
  const same = (v: AttributeValue): boolean => {
    const t = serializeAttribute(v);
    return t.typeId === wanted.typeId && t.value.equals(wanted.value);
  };
  const matches = (item: Readonly<Record<string, AttributeValue | undefined>>): boolean => {
    const v = valueAt(b.loc, item);
    if (v === undefined) return false;
    if (!b.asSet) return same(v);
    const elements = v.SS?.map((x): AttributeValue => ({ S: x })) ?? v.NS?.map((x): AttributeValue => ({ N: x })) ?? [];
    return elements.some(same);
  };
  return { value: standardBeacon(hmacKey, b.length, wanted.value), matches };
}
