import type { BeaconConfig, CompoundBeacon, Constructor, ConstructorPart, EncryptedPart, SignedPart } from '../../beacon-config.js';
import { BEACON_PREFIX } from '../dbesdk/item-schema.js';
import { beaconNameAllowed, checkName, invalid, listOf, location, type TableFacts } from './beacon-rules.js';
import type { ResolvedCompound, ResolvedConstructor, ResolvedPart, ResolvedStandard, VirtualFields } from './beacon-model.js';

// Compound beacons (beacons.md "Compound Beacon Initialization", "Default Construction",
// "Initialization Failure"; search-config.md "Global Parts List"; ConfigToInfo.dfy
// CreateCompoundBeacon). Part names and prefixes are unique per beacon and against the global
// lists; no prefix starts another; constructors name known parts, have a required part and
// differ in their required sets.

/** Parts with unique names and prefixes (ConfigToInfo.dfy PartSet). */
type PartSet = { parts: ResolvedPart[]; names: Set<string>; prefixes: Set<string> };
const emptySet = (): PartSet => ({ parts: [], names: new Set(), prefixes: new Set() });

function add(set: PartSet, part: ResolvedPart, where: string): void {
  if (set.names.has(part.name)) throw invalid(`Two parts are named "${part.name}" in ${where}.`);
  if (set.prefixes.has(part.prefix)) throw invalid(`Two parts have the same prefix in ${where}.`);
  set.parts.push(part);
  set.names.add(part.name);
  set.prefixes.add(part.prefix);
}

function prefixOf(p: { prefix?: unknown }, where: string): string {
  if (typeof p?.prefix !== 'string' || p.prefix.length === 0) throw invalid(`Every part prefix in ${where} is a non-empty string.`);
  return p.prefix;
}

function signedParts(facts: TableFacts, parts: readonly SignedPart[] | undefined, where: string): PartSet {
  const set = emptySet();
  for (const p of listOf(parts, `Signed parts of ${where}`)) {
    const name = checkName(p?.name, 'Part');
    const loc = location(facts, p.loc ?? name, `Signed part "${name}" in ${where}`);
    const action = facts.actionOf(loc[0]);
    if (action !== 'sign' && action !== 'sign-in-context') throw invalid(`Signed part "${name}" in ${where} must read a sign or sign-in-context attribute.`);
    add(set, { kind: 'signed', name, prefix: prefixOf(p, where), loc }, where);
  }
  return set;
}

function encryptedParts(standard: ReadonlyMap<string, ResolvedStandard>, parts: readonly EncryptedPart[] | undefined, where: string): PartSet {
  const set = emptySet();
  for (const p of listOf(parts, `Encrypted parts of ${where}`)) {
    const beacon = standard.get(p?.name);
    if (!beacon) throw invalid(`Encrypted part "${String(p?.name)}" in ${where} must name a standard beacon.`);
    if (beacon.asSet) throw invalid(`Encrypted part "${beacon.name}" in ${where} is an asSet beacon, which cannot be a part.`);
    add(set, { kind: 'encrypted', name: beacon.name, prefix: prefixOf(p, where), beacon }, where);
  }
  return set;
}

/** The global signed and encrypted parts lists, validated once. */
export type GlobalParts = { readonly signed: PartSet; readonly encrypted: PartSet; readonly all: PartSet };

/**
 * Validates the global parts lists.
 * @throws PhisealError INVALID_CONFIGURATION.
 * @example
 * ```ts
 * const globals = resolveGlobalParts(facts, standard, config);
 * ```
 */
export function resolveGlobalParts(facts: TableFacts, standard: ReadonlyMap<string, ResolvedStandard>, config: BeaconConfig): GlobalParts {
  const signed = signedParts(facts, config.signedParts, 'the global parts list');
  const encrypted = encryptedParts(standard, config.encryptedParts, 'the global parts list');
  const all = emptySet();
  for (const p of [...signed.parts, ...encrypted.parts]) add(all, p, 'the global parts lists');
  return { signed, encrypted, all };
}

function constructors(c: CompoundBeacon, name: string, parts: readonly ResolvedPart[]): ResolvedConstructor[] {
  if (c.constructors === undefined) return [parts.map((part) => ({ part, required: true }))];
  const list = listOf<Constructor>(c.constructors, `Compound beacon "${name}" constructors`);
  if (list.length === 0) throw invalid(`Compound beacon "${name}": constructors, when given, is a non-empty list.`);
  const requiredSets: string[] = [];
  return list.map((con) => {
    const conParts = listOf<ConstructorPart>(con?.parts, `Compound beacon "${name}" constructor parts`);
    if (conParts.length === 0) throw invalid(`Compound beacon "${name}": every constructor has at least one part.`);
    const out = conParts.map((cp) => {
      const part = parts.find((p) => p.name === cp?.name);
      if (!part) throw invalid(`Compound beacon "${name}": a constructor names a part that is not defined.`);
      if (typeof cp.required !== 'boolean') throw invalid(`Compound beacon "${name}": every constructor part says required true or false.`);
      return { part, required: cp.required };
    });
    if (!out.some((p) => p.required)) throw invalid(`Compound beacon "${name}": every constructor has a required part.`);
    const required = [...new Set(out.filter((p) => p.required).map((p) => p.part.name))].sort().join('\u0000');
    if (requiredSets.includes(required)) throw invalid(`Compound beacon "${name}": two constructors have the same required parts.`);
    requiredSets.push(required);
    return out;
  });
}

/** Parts of the global lists that the constructors name, in order of first use. */
function usedGlobals(c: CompoundBeacon, globals: PartSet): PartSet {
  const used = emptySet();
  for (const con of c.constructors ?? []) {
    for (const cp of con?.parts ?? []) {
      const part = globals.parts.find((p) => p.name === cp?.name);
      if (part) add(used, part, 'the global parts list');
    }
  }
  return used;
}

/**
 * Validates one compound beacon.
 * @throws PhisealError INVALID_CONFIGURATION.
 * @example
 * ```ts
 * const visit = resolveCompound(facts, vfs, standard, globals, config.compound[0], taken);
 * ```
 */
export function resolveCompound(
  facts: TableFacts,
  _vfs: VirtualFields,
  standard: ReadonlyMap<string, ResolvedStandard>,
  globals: GlobalParts,
  c: CompoundBeacon,
  taken: ReadonlySet<string>,
): ResolvedCompound {
  const name = checkName(c?.name, 'Beacon');
  if (taken.has(name)) throw invalid(`Two beacons are named "${name}".`);
  if (typeof c.split !== 'string' || c.split.length !== 1) throw invalid(`Compound beacon "${name}" needs a one-character split.`);
  const where = `compound beacon "${name}"`;
  for (const p of [...(c.signed ?? []), ...(c.encrypted ?? [])]) {
    if (globals.all.names.has(p?.name) || globals.all.prefixes.has(p?.prefix)) throw invalid(`A local part of ${where} repeats the name or prefix of a global part.`);
  }
  const signed = signedParts(facts, c.signed, where);
  const encrypted = encryptedParts(standard, c.encrypted, where);
  for (const p of usedGlobals(c, globals.signed).parts) add(signed, p, where);
  for (const p of usedGlobals(c, globals.encrypted).parts) add(encrypted, p, where);
  if (c.constructors === undefined && (c.signed ?? []).length + (c.encrypted ?? []).length === 0) {
    throw invalid(`Compound beacon "${name}" has no constructors and no local parts.`);
  }
  const parts = [...signed.parts, ...encrypted.parts];
  const signedOnly = encrypted.parts.length === 0;
  beaconNameAllowed(facts, name, 'Compound beacon', signedOnly);
  for (const p of parts) {
    if (parts.some((q) => q !== p && q.prefix.startsWith(p.prefix))) throw invalid(`In ${where} no part prefix may start another part's prefix.`);
  }
  const sources = [...new Set(parts.flatMap((p) => (p.kind === 'signed' ? [p.loc[0]] : p.beacon.sources)))];
  return { kind: 'compound', name, attributeName: signedOnly ? name : BEACON_PREFIX + name, split: c.split, parts, constructors: constructors(c, name, parts), signedOnly, sources };
}

