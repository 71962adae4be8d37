import type { VirtualField, VirtualPart, VirtualTransform } from '../../beacon-config.js';
import { beaconNameAllowed, checkName, invalid, listOf, location, type TableFacts } from './beacon-rules.js';
import type { ResolvedVirtualField, VirtualFields } from './beacon-model.js';
import { locationText } from './terminal-location.js';
import { toTransform } from './virtual-transform.js';

// Virtual fields (virtual.md "Virtual Field Initialization"; search-config.md: a virtual field
// is not a configured field and is built from signed attributes only).

function one(facts: TableFacts, vf: VirtualField, seen: VirtualFields): ResolvedVirtualField {
  const name = checkName(vf?.name, 'Virtual field');
  if (seen.has(name)) throw invalid(`Two virtual fields are named "${name}".`);
  if (facts.isConfigured(name)) throw invalid(`Virtual field "${name}" has the name of a configured attribute.`);
  beaconNameAllowed(facts, name, 'Virtual field', true);
  const configured = listOf<VirtualPart>(vf.parts, `Virtual field "${name}" parts`);
  if (configured.length === 0) throw invalid(`Virtual field "${name}" needs at least one part.`);
  const parts = configured.map((p, i) => {
    const loc = location(facts, p?.loc, `Virtual field "${name}" part ${i}`);
    if (facts.actionOf(loc[0]) === 'plain') throw invalid(`Virtual field "${name}" reads "${loc[0]}", which is not signed.`);
    const configuredTrans = listOf<VirtualTransform>(p.trans, `Virtual field "${name}" part ${i} trans`);
    const trans = configuredTrans.map((t: VirtualTransform) => {
      const ok = toTransform(t);
      if (!ok) throw invalid(`Virtual field "${name}" part ${i}: every transform is exactly one of upper, lower, insert, prefix, suffix, substring, segment, segments with its fields.`);
      return ok;
    });
    return { loc, trans };
  });
  const locs = new Set(parts.map((p) => locationText(p.loc)));
  for (const other of seen.values()) {
    const theirs = new Set(other.parts.map((p) => locationText(p.loc)));
    if (theirs.size === locs.size && [...theirs].every((l) => locs.has(l))) throw invalid(`Virtual fields "${other.name}" and "${name}" read the same locations.`);
  }
  return { name, parts };
}

/**
 * Validates the virtual fields of a table.
 * @throws PhisealError INVALID_CONFIGURATION.
 * @example
 * ```ts
 * const vfs = resolveVirtualFields(facts, config.virtualFields);
 * ```
 */
export function resolveVirtualFields(facts: TableFacts, fields: readonly VirtualField[] | undefined): VirtualFields {
  const out = new Map<string, ResolvedVirtualField>();
  for (const vf of listOf(fields, 'virtualFields')) out.set(vf.name, one(facts, vf, out));
  return out;
}
