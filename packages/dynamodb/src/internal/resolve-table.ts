import { PhisealError, type EncryptionContext, type Envelope } from '@phiseal/core';
import type { AttributeAction, BeaconConfig, TableConfig } from '../table-config.js';
import type { ItemSchema } from './item-crypto.js';
import { beaconAttributeName, RESERVED_PREFIX } from './reserved.js';

// Validates a TableConfig once and keeps the result per config object, so the hot path
// (encrypting one item) does no validation work.

/** A beacon ready to compute. */
export type ResolvedBeacon = {
  readonly name: string;
  readonly attributeName: string;
  readonly sources: readonly string[];
  readonly bits: number;
  readonly normalize: (value: string, attribute: string) => string;
};

/** A validated table configuration. */
export type ResolvedTable = ItemSchema & {
  readonly config: TableConfig;
  readonly envelope: Envelope;
  /** The table-level KMS encryption context: never item values. */
  readonly context: EncryptionContext;
  readonly beacons: readonly ResolvedBeacon[];
  readonly beaconByName: ReadonlyMap<string, ResolvedBeacon>;
  readonly versionAttribute: string;
  /** Attribute names the guard has already passed (names repeat across items). */
  readonly approvedNames: Set<string>;
};

const ACTIONS: ReadonlySet<string> = new Set(['encrypt', 'sign', 'plain']);
const BEACON_NAME = /^[A-Za-z0-9_.-]{1,200}$/;
const cache = new WeakMap<TableConfig, ResolvedTable>();

function invalid(message: string): PhisealError {
  return new PhisealError('INVALID_CONFIGURATION', message);
}

/**
 * The default beacon normalization: NFC, trimmed, inner whitespace collapsed, lower case.
 * @throws never
 * @example
 * ```ts
 * defaultNormalize('  Ada   LOVELACE '); // 'ada lovelace'
 * ```
 */
export function defaultNormalize(value: string): string {
  return value.normalize('NFC').trim().replace(/\s+/g, ' ').toLowerCase();
}

/**
 * The encryption context of a table's data keys.
 * @throws never
 * @example
 * ```ts
 * tableContext('patients'); // { 'phiseal:dynamodb-table': 'patients' }
 * ```
 */
export function tableContext(tableName: string): EncryptionContext {
  return Object.freeze({ 'phiseal:dynamodb-table': tableName });
}

function nonEmptyName(value: unknown, what: string): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 255) {
    throw invalid(`${what} must be a non-empty string of at most 255 characters.`);
  }
  if (value.startsWith(RESERVED_PREFIX)) throw invalid(`${what} may not start with "${RESERVED_PREFIX}" (reserved by phiseal).`);
  return value;
}

// Returns a plain boolean (not a type guard) so that `sources` keeps its declared type.
function isNonEmptyList(value: unknown): boolean {
  return Array.isArray(value) && value.length > 0;
}

function resolveBeacon(name: string, beacon: BeaconConfig, actionOf: (n: string) => AttributeAction): ResolvedBeacon {
  if (!BEACON_NAME.test(name)) throw invalid('Beacon names use letters, digits, "_", "-" and "." only.');
  const sources: readonly string[] = beacon.attributes;
  if (!isNonEmptyList(sources)) {
    throw invalid(`Beacon "${name}" needs at least one source attribute.`);
  }
  for (const source of sources) {
    nonEmptyName(source, `A source attribute of beacon "${name}"`);
    if (actionOf(source) === 'plain') throw invalid(`Beacon "${name}" reads a plain attribute; beacons need encrypt or sign sources.`);
  }
  if (new Set(sources).size !== sources.length) throw invalid(`Beacon "${name}" lists an attribute twice.`);
  if (!Number.isInteger(beacon.bits) || beacon.bits < 1 || beacon.bits > 63) {
    throw invalid(`Beacon "${name}" bits must be an integer from 1 to 63.`);
  }
  return {
    name,
    attributeName: beaconAttributeName(name),
    sources: [...sources],
    bits: beacon.bits,
    normalize: beacon.normalize ?? defaultNormalize,
  };
}

/**
 * Validates `config` (once per object) and returns its resolved form.
 * @throws PhisealError INVALID_CONFIGURATION, PHI_DETECTED (a configured name looks like PHI).
 * @example
 * ```ts
 * const table = resolveTable(config);
 * ```
 */
export function resolveTable(config: TableConfig): ResolvedTable {
  const hit = cache.get(config);
  if (hit) return hit;
  if (typeof config !== 'object' || config === null) throw invalid('A table configuration object is required.');
  const envelope = config.envelope;
  if (typeof envelope !== 'object' || envelope === null || typeof envelope.dataKey !== 'function') {
    throw invalid('The table configuration needs an envelope (createEnvelope from @phiseal/core).');
  }
  const tableName = nonEmptyName(config.tableName, 'tableName');
  const partitionKey = nonEmptyName(config.partitionKey, 'partitionKey');
  const sortKey = config.sortKey === undefined ? undefined : nonEmptyName(config.sortKey, 'sortKey');
  if (sortKey === partitionKey) throw invalid('partitionKey and sortKey must differ.');
  const defaultAction = config.defaultAction ?? 'encrypt';
  if (!ACTIONS.has(defaultAction)) throw invalid('defaultAction must be encrypt, sign or plain.');
  const versionAttribute = nonEmptyName(config.versionAttribute ?? 'version', 'versionAttribute');
  const actions = new Map<string, AttributeAction>();
  for (const [name, action] of Object.entries(config.actions ?? {})) {
    nonEmptyName(name, 'An attribute name in actions');
    if (!ACTIONS.has(action)) throw invalid('Every action must be encrypt, sign or plain.');
    actions.set(name, action);
  }
  // Key attributes must stay readable (DynamoDB needs them) and authenticated (an item moved
  // to another key must fail): `sign` is the only consistent choice.
  for (const [name, what] of [[partitionKey, 'partition key'], [sortKey, 'sort key'], [versionAttribute, 'version attribute']] as const) {
    if (name === undefined) continue;
    const configured = actions.get(name);
    if (configured !== undefined && configured !== 'sign') throw invalid(`The ${what} "${name}" must have the action "sign".`);
    actions.set(name, 'sign');
  }
  const actionOf = (name: string): AttributeAction => actions.get(name) ?? defaultAction;
  const beacons = Object.entries(config.beacons ?? {}).map(([name, b]) => resolveBeacon(name, b, actionOf));
  if (beacons.length > 0 && typeof config.beaconKey !== 'string') {
    throw invalid('Beacons need a beaconKey (create one once with createBeaconKey and keep it in configuration).');
  }
  const guard = envelope.guard;
  guard.check(tableName, 'dynamodb.table');
  // Beacon attributes (phiseal_b_<name>) are attribute names on every item and index keys.
  for (const name of [partitionKey, ...(sortKey ? [sortKey] : []), versionAttribute, ...actions.keys(), ...beacons.map((b) => b.attributeName)]) {
    guard.check(name, 'dynamodb.attributeName');
  }
  const resolved: ResolvedTable = {
    config,
    envelope,
    tableName,
    partitionKey,
    sortKey,
    actionOf,
    context: tableContext(tableName),
    beacons,
    beaconByName: new Map(beacons.map((b) => [b.name, b])),
    versionAttribute,
    approvedNames: new Set([partitionKey, ...(sortKey ? [sortKey] : []), versionAttribute, ...actions.keys()]),
  };
  cache.set(config, resolved);
  return resolved;
}
