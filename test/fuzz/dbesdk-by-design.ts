// The DB-ESDK item format's by-design changes, shared by the dynamodb-item and
// dynamodb-item-beacons targets: an altered item that decryptItem reads back as the original is
// allowed only in these ways (docs/dynamodb-format.md "Malleability" and 11.1; the Java DB-ESDK
// behaves the same: packages/dynamodb/test/java/malleability.java-test.ts).
import { deepEqual, type Doc, type FuzzTarget, type Sample } from './harness.js';

/** The attribute names whose values differ between two items (added and removed ones included). */
function changedAttributes(stored: Record<string, Doc>, mutated: Record<string, Doc>): string[] {
  return [...new Set([...Object.keys(stored), ...Object.keys(mutated)])].filter((k) => !deepEqual(stored[k], mutated[k]));
}

/** A string set's members in a canonical order, or undefined for anything else. */
function setMembers(d: Doc | undefined): string | undefined {
  const ss = (d as { SS?: unknown } | undefined)?.SS;
  return Array.isArray(ss) && ss.every((x) => typeof x === 'string') ? JSON.stringify([...ss].sort()) : undefined;
}

/**
 * `byDesign` for a target whose table has the beacon attributes `beacons` (none: no beacons):
 * - an added or changed `aws_dbe_*` attribute other than the header, the footer and a configured
 *   beacon is unauthenticated and never returned;
 * - a removed configured beacon only hides the item from that beacon's queries (items written
 *   before a beacon was configured have none, so its absence cannot be refused);
 * - a set beacon with its members in another order is the same DynamoDB value.
 * A configured beacon that differs from the item otherwise is refused by decryptItem, so it is no case here.
 */
export function dbesdkByDesign(beacons: ReadonlySet<string> = new Set()): NonNullable<FuzzTarget['byDesign']> {
  return (input: Doc, sample: Sample): string | undefined => {
    const stored = sample.input as Record<string, Doc>;
    const mutated = input as Record<string, Doc>;
    const unauthenticated = (k: string): boolean => k.startsWith('aws_dbe_') && k !== 'aws_dbe_head' && k !== 'aws_dbe_foot' && !beacons.has(k);
    const removedBeacon = (k: string): boolean => beacons.has(k) && mutated[k] === undefined;
    const reordered = (k: string): boolean =>
      beacons.has(k) && setMembers(stored[k]) !== undefined && setMembers(stored[k]) === setMembers(mutated[k]) && Object.keys(mutated[k] as object).length === 1;
    const changed = changedAttributes(stored, mutated);
    if (changed.length === 0 || !changed.every((k) => unauthenticated(k) || removedBeacon(k) || reordered(k))) return undefined;
    return beacons.size === 0
      ? 'unauthenticated aws_dbe_* attribute (not returned)'
      : 'unauthenticated aws_dbe_* attribute added, a beacon removed, or a set beacon reordered (not returned)';
  };
}
