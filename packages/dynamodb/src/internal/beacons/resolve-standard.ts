import type { StandardBeacon } from '../../beacon-config.js';
import { BEACON_PREFIX } from '../dbesdk/item-schema.js';
import { beaconNameAllowed, checkName, invalid, listOf, location, type TableFacts } from './beacon-rules.js';
import type { ResolvedStandard, VirtualFields } from './beacon-model.js';
import { locationText, sameLocation, type TermLoc } from './terminal-location.js';

// Standard beacons (beacons.md "Standard Beacon Initialization", "Beacon Style
// Initialization"; ConfigToInfo.dfy AddStandardBeacons, IsValidShare).

type Style = { partOnly: boolean; asSet: boolean; share: string | undefined };

function style(name: string, s: StandardBeacon['style']): Style {
  if (s === undefined) return { partOnly: false, asSet: false, share: undefined };
  const keys = typeof s === 'object' && s !== null ? Object.keys(s) : [];
  const kind = keys.length === 1 ? keys[0] : undefined;
  const body = kind === undefined ? undefined : (s as Record<string, { other?: unknown } | undefined>)[kind];
  const other = body?.other;
  if ((kind === 'partOnly' || kind === 'asSet') && typeof body === 'object' && Object.keys(body).length === 0) {
    return { partOnly: kind === 'partOnly', asSet: kind === 'asSet', share: undefined };
  }
  if ((kind === 'shared' || kind === 'sharedSet') && typeof other === 'string') return { partOnly: false, asSet: kind === 'sharedSet', share: other };
  throw invalid(`Beacon "${name}": style is exactly one of partOnly, shared { other }, asSet, sharedSet { other }.`);
}

/** Standard beacons read encrypted data: the attribute, or a virtual field with an encrypted part. */
function isEncrypted(facts: TableFacts, vfs: VirtualFields, loc: TermLoc): boolean {
  const vf = loc.length === 1 ? vfs.get(loc[0]) : undefined;
  if (vf) return vf.parts.some((p) => facts.actionOf(p.loc[0]) === 'encrypt');
  return facts.actionOf(loc[0]) === 'encrypt';
}

function one(facts: TableFacts, vfs: VirtualFields, s: StandardBeacon, done: Map<string, ResolvedStandard>): ResolvedStandard {
  const name = checkName(s?.name, 'Beacon');
  if (done.has(name)) throw invalid(`Two standard beacons are named "${name}".`);
  beaconNameAllowed(facts, name, 'Standard beacon', false);
  if (!Number.isInteger(s.length) || s.length < 1 || s.length > 63) throw invalid(`Beacon "${name}" length must be an integer from 1 to 63.`);
  const { partOnly, asSet, share } = style(name, s.style);
  if (share === name) throw invalid(`Beacon "${name}" is shared with itself.`);
  const text = s.loc ?? name;
  const loc: TermLoc = typeof text === 'string' && vfs.has(text) ? [text] : location(facts, text, `Beacon "${name}"`);
  if (!isEncrypted(facts, vfs, loc)) throw invalid(`Standard beacon "${name}" reads "${locationText(loc)}", which is not encrypted; query signed attributes directly.`);
  for (const other of done.values()) if (sameLocation(other.loc, loc)) throw invalid(`Beacons "${other.name}" and "${name}" read the same location.`);
  for (const vf of vfs.values()) {
    if (vf.parts.length === 1 && sameLocation(vf.parts[0]!.loc, loc)) throw invalid(`Beacon "${name}" reads the single location of virtual field "${vf.name}".`);
  }
  const vf = loc.length === 1 ? vfs.get(loc[0]) : undefined;
  const sources = vf ? [...new Set(vf.parts.map((p) => p.loc[0]))] : [loc[0]];
  return { kind: 'standard', name, attributeName: BEACON_PREFIX + name, loc, length: s.length, keyName: share ?? name, asSet, partOnly, sources };
}

/**
 * Validates the standard beacons (shares are checked once all are known).
 * @throws PhisealError INVALID_CONFIGURATION.
 * @example
 * ```ts
 * const standard = resolveStandard(facts, vfs, config.standard);
 * ```
 */
export function resolveStandard(facts: TableFacts, vfs: VirtualFields, beacons: readonly StandardBeacon[] | undefined): Map<string, ResolvedStandard> {
  const list = listOf(beacons, 'standard');
  if (list.length === 0) throw invalid('beacons need at least one standard beacon (search-config.md).');
  const done = new Map<string, ResolvedStandard>();
  for (const s of list) done.set(s.name, one(facts, vfs, s, done));
  for (const b of done.values()) {
    if (b.keyName === b.name) continue;
    const other = done.get(b.keyName);
    if (!other) throw invalid(`Beacon "${b.name}" is shared with "${b.keyName}", which is not a standard beacon.`);
    if (other.keyName !== other.name) throw invalid(`Beacon "${b.name}" is shared with "${other.name}", which is itself shared: no share chains.`);
    if (other.length !== b.length) throw invalid(`Beacon "${b.name}" is shared with "${other.name}" but their lengths differ.`);
  }
  return done;
}
