import { PhisealError } from '@phiseal/core';
import type { AttributeAction } from '../../table-config.js';
import { parseLocation, type TermLoc } from './terminal-location.js';

// What the beacon resolvers need to know about the table (search-config.md "Configured Field").

/** The table facts beacon validation reads. */
export type TableFacts = {
  /** The action an attribute gets on write (unlisted attributes: the default action). */
  readonly actionOf: (name: string) => AttributeAction;
  /** Listed in actions (or a key), allowed unsigned, or under the unsigned prefix. */
  readonly isConfigured: (name: string) => boolean;
  /** Named in actions explicitly (or a key attribute). */
  readonly hasExplicitAction: (name: string) => boolean;
  /** Allowed unsigned (named, prefixed or reserved). */
  readonly allowedUnsigned: (name: string) => boolean;
  /** Checks a top-level attribute name (length, reserved prefix, well-formed). */
  readonly attributeName: (name: unknown, what: string) => string;
};

/**
 * A configuration error.
 * @throws never
 * @example
 * ```ts
 * throw invalid('Beacon "email" length must be an integer from 1 to 63.');
 * ```
 */
export function invalid(message: string): PhisealError {
  return new PhisealError('INVALID_CONFIGURATION', message);
}

const BEACON_NAME = /^[A-Za-z0-9_.-]{1,200}$/;

/**
 * A beacon, part or virtual field name: letters, digits, `_`, `-`, `.`.
 * @throws PhisealError INVALID_CONFIGURATION.
 * @example
 * ```ts
 * checkName('email', 'Beacon');
 * ```
 */
export function checkName(name: unknown, what: string): string {
  if (typeof name !== 'string' || !BEACON_NAME.test(name)) throw invalid(`${what} names use 1 to 200 letters, digits, "_", "-" and "." only.`);
  return name;
}

/**
 * A terminal location, checked.
 * @throws PhisealError INVALID_CONFIGURATION.
 * @example
 * ```ts
 * location(facts, 'a.b[0]', 'Beacon "x"');
 * ```
 */
export function location(facts: TableFacts, text: unknown, what: string): TermLoc {
  const loc = parseLocation(text);
  if (!loc) throw invalid(`${what}: the location is not a document path (name, name.key, name[0]).`);
  facts.attributeName(loc[0], `${what}: the attribute of the location`);
  return loc;
}

/**
 * search-config.md BeaconNameAllowed: a beacon name may not be an unencrypted configured
 * field (a signed beacon's may not be configured at all), nor allowed unsigned, nor reserved.
 * @throws PhisealError INVALID_CONFIGURATION.
 * @example
 * ```ts
 * beaconNameAllowed(facts, 'email', 'Standard beacon', false);
 * ```
 */
export function beaconNameAllowed(facts: TableFacts, name: string, what: string, signedBeacon: boolean): void {
  if (facts.hasExplicitAction(name) && (signedBeacon || facts.actionOf(name) !== 'encrypt')) {
    throw invalid(`${what} "${name}" has the name of a configured ${signedBeacon ? '' : 'unencrypted '}attribute.`);
  }
  if (facts.allowedUnsigned(name)) throw invalid(`${what} "${name}" is an allowed unsigned (or reserved) name.`);
}

/**
 * A configured list (absent: empty), typed; anything else is refused.
 * @throws PhisealError INVALID_CONFIGURATION.
 * @example
 * ```ts
 * const parts = listOf(vf.parts, 'Virtual field "v" parts');
 * ```
 */
export function listOf<T>(value: readonly T[] | undefined, what: string): readonly T[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw invalid(`${what} must be an array.`);
  return value as readonly T[];
}
