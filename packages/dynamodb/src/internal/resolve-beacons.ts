import { PhisealError } from '@phiseal/core';
import type { AttributeAction, BeaconConfig } from '../table-config.js';
import { BEACON_PREFIX } from './dbesdk/item-schema.js';

// Beacon configuration checks (searchable-encryption/beacons.md, search-config.md) done once.

/** One part of a compound beacon, in construction order (signed parts, then encrypted). */
export type ResolvedPart =
  | { readonly kind: 'signed'; readonly prefix: string; readonly source: string }
  | { readonly kind: 'encrypted'; readonly prefix: string; readonly source: string; readonly beacon: string; readonly length: number };

/** A beacon ready to compute. */
export type ResolvedBeacon = {
  readonly name: string;
  /** aws_dbe_b_<name>. */
  readonly attributeName: string;
  /** The attributes it reads, in part order. */
  readonly sources: readonly string[];
} & ({ readonly kind: 'standard'; readonly length: number } | { readonly kind: 'compound'; readonly split: string; readonly parts: readonly ResolvedPart[] });

const BEACON_NAME = /^[A-Za-z0-9_.-]{1,200}$/;

function invalid(message: string): PhisealError {
  return new PhisealError('INVALID_CONFIGURATION', message);
}

function checkName(name: unknown, seen: Set<string>): string {
  if (typeof name !== 'string' || !BEACON_NAME.test(name)) throw invalid('Beacon names use letters, digits, "_", "-" and "." only.');
  if (seen.has(name)) throw invalid(`Two beacons are named "${name}".`);
  seen.add(name);
  return name;
}

function compoundParts(b: NonNullable<BeaconConfig['compound']>[number], standard: Map<string, ResolvedBeacon>, actionOf: (n: string) => AttributeAction): ResolvedPart[] {
  const parts: ResolvedPart[] = [];
  for (const p of b.signed ?? []) {
    const action = actionOf(p.name);
    if (action !== 'sign' && action !== 'sign-in-context') throw invalid(`Compound beacon "${b.name}": signed part "${p.name}" must be a sign or sign-in-context attribute.`);
    parts.push({ kind: 'signed', prefix: p.prefix, source: p.name });
  }
  for (const p of b.encrypted ?? []) {
    const s = standard.get(p.name);
    if (!s || s.kind !== 'standard') throw invalid(`Compound beacon "${b.name}": encrypted part "${p.name}" must name a standard beacon.`);
    parts.push({ kind: 'encrypted', prefix: p.prefix, source: s.sources[0]!, beacon: s.name, length: s.length });
  }
  if (parts.length === 0) throw invalid(`Compound beacon "${b.name}" needs at least one part.`);
  for (const p of parts) {
    if (typeof p.prefix !== 'string' || p.prefix.length === 0 || p.prefix.includes(b.split)) throw invalid(`Compound beacon "${b.name}": every prefix is non-empty and free of the split character.`);
    // A part is found by its prefix when a query value is parsed; one prefix may not start another.
    if (parts.some((q) => q !== p && q.prefix.startsWith(p.prefix))) throw invalid(`Compound beacon "${b.name}": no prefix may start another.`);
  }
  return parts;
}

/**
 * Validates the beacons of a table.
 * @throws PhisealError INVALID_CONFIGURATION.
 * @example
 * ```ts
 * const beacons = resolveBeacons(config.beacons, actionOf, checkAttributeName);
 * ```
 */
export function resolveBeacons(config: BeaconConfig | undefined, actionOf: (n: string) => AttributeAction, attributeName: (n: unknown, what: string) => string): ResolvedBeacon[] {
  if (config === undefined) return [];
  if (typeof config.keyStore?.getBeaconKey !== 'function') throw invalid('beacons need a keyStore with getBeaconKey (for example from @phiseal/keystore).');
  const source = config.keySource as Record<string, { keyId?: unknown; keyFieldName?: unknown } | undefined> | undefined;
  if (!(typeof source?.['single']?.keyId === 'string' && source['single'].keyId.length > 0) && !(typeof source?.['multi']?.keyFieldName === 'string')) {
    throw invalid('beacons need keySource { single: { keyId } } or { multi: { keyFieldName } }.');
  }
  const seen = new Set<string>();
  const standard = new Map<string, ResolvedBeacon>();
  for (const s of config.standard ?? []) {
    const name = checkName(s.name, seen);
    const loc = attributeName(s.loc ?? s.name, `The source attribute of beacon "${name}"`);
    if (actionOf(loc) !== 'encrypt') throw invalid(`Standard beacon "${name}" reads "${loc}", which is not encrypted; query signed attributes directly.`);
    if (!Number.isInteger(s.length) || s.length < 1 || s.length > 63) throw invalid(`Beacon "${name}" length must be an integer from 1 to 63.`);
    standard.set(name, { name, attributeName: BEACON_PREFIX + name, sources: [loc], kind: 'standard', length: s.length });
  }
  const compound: ResolvedBeacon[] = [];
  for (const c of config.compound ?? []) {
    const name = checkName(c.name, seen);
    if (typeof c.split !== 'string' || c.split.length !== 1) throw invalid(`Compound beacon "${name}" needs a one-character split.`);
    const parts = compoundParts(c, standard, actionOf);
    compound.push({ name, attributeName: BEACON_PREFIX + name, sources: parts.map((p) => p.source), kind: 'compound', split: c.split, parts });
  }
  return [...standard.values(), ...compound];
}
