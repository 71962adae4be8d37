import type { BeaconConfig } from '../beacon-config.js';
import { PhisealError } from '@phiseal/core';
import { invalid, listOf, type TableFacts } from './beacons/beacon-rules.js';
import type { ResolvedBeacon, ResolvedCompound, VirtualFields } from './beacons/beacon-model.js';
import { resolveCompound, resolveGlobalParts } from './beacons/resolve-compound.js';
import { resolveStandard } from './beacons/resolve-standard.js';
import { resolveVirtualFields } from './beacons/resolve-virtual.js';

// Beacon configuration checks (searchable-encryption/beacons.md, search-config.md,
// virtual.md; ConfigToInfo.dfy ConvertVersionWithSource), done once per TableConfig.

export type { ResolvedBeacon, ResolvedCompound, ResolvedStandard, ResolvedPart, VirtualFields } from './beacons/beacon-model.js';
export type { TableFacts } from './beacons/beacon-rules.js';

/** A table's validated beacons. */
export type ResolvedBeacons = {
  /** Standard then compound beacons. */
  readonly beacons: readonly ResolvedBeacon[];
  readonly virtualFields: VirtualFields;
  /** Signed beacons: attribute names added to the item (action sign) before encryption. */
  readonly signedBeaconNames: readonly string[];
};

function keySource(config: BeaconConfig, facts: TableFacts): string | undefined {
  if (typeof config.keyStore?.getBeaconKey !== 'function') throw invalid('beacons need a keyStore with getBeaconKey (for example from @phiseal/keystore).');
  const source = config.keySource as Record<string, { keyId?: unknown; keyFieldName?: unknown } | undefined> | undefined;
  const single = source?.['single'];
  const multi = source?.['multi'];
  if (single !== undefined && multi === undefined && (single.keyId === undefined || single.keyId === '')) {
    throw new PhisealError('INVALID_CONFIGURATION', 'beacons keySource.single.keyId is undefined or empty (is its environment variable set?).', {
      details: { option: 'keySource.single.keyId' },
    });
  }
  if (typeof single?.keyId === 'string' && single.keyId.length > 0 && multi === undefined) return undefined;
  if (typeof multi?.keyFieldName === 'string' && single === undefined) {
    const field = facts.attributeName(multi.keyFieldName, 'keySource.multi.keyFieldName');
    // ConfigToInfo.dfy ShouldDeleteKeyField refuses an encrypted key field; phiseal also keeps
    // it signed in the item, so a query restricted to one tenant cannot be steered to another.
    const action = facts.actionOf(field);
    if (action !== 'sign' && action !== 'sign-in-context') throw invalid(`The beacon key field "${field}" must be a sign or sign-in-context attribute.`);
    return field;
  }
  throw invalid('beacons need keySource { single: { keyId } } or { multi: { keyFieldName } }.');
}

/**
 * Validates the beacons of a table.
 * @throws PhisealError INVALID_CONFIGURATION.
 * @example
 * ```ts
 * const { beacons } = resolveBeacons(config.beacons, facts);
 * ```
 */
export function resolveBeacons(config: BeaconConfig | undefined, facts: TableFacts): ResolvedBeacons {
  if (config === undefined) return { beacons: [], virtualFields: new Map(), signedBeaconNames: [] };
  if (typeof config !== 'object' || config === null) throw invalid('beacons must be an object.');
  const keyField = keySource(config, facts);
  const virtualFields = resolveVirtualFields(facts, config.virtualFields);
  const standard = resolveStandard(facts, virtualFields, config.standard);
  const globals = resolveGlobalParts(facts, standard, config);
  const compound: ResolvedCompound[] = [];
  for (const c of listOf(config.compound, 'compound')) {
    compound.push(resolveCompound(facts, virtualFields, standard, globals, c, new Set([...standard.keys(), ...compound.map((x) => x.name)])));
  }
  for (const b of standard.values()) {
    if (b.partOnly && !compound.some((c) => c.parts.some((p) => p.name === b.name))) throw invalid(`Beacon "${b.name}" is partOnly but no compound beacon uses it.`);
  }
  if (keyField !== undefined && (standard.has(keyField) || compound.some((c) => c.name === keyField) || virtualFields.has(keyField))) {
    throw invalid(`The beacon key field "${keyField}" has the name of a beacon or virtual field.`);
  }
  return { beacons: [...standard.values(), ...compound], virtualFields, signedBeaconNames: compound.filter((c) => c.signedOnly).map((c) => c.name) };
}
