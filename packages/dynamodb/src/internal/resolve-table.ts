import { PhisealError, resolvePlaintextPolicy, type EncryptionContext, type Envelope, type SwitchOverStage } from '@phiseal/core';
import type { AttributeAction, TableConfig } from '../table-config.js';
import { resolveBeacons, type ResolvedBeacon, type VirtualFields } from './resolve-beacons.js';
import { RESERVED_PREFIX, type DbeSchema } from './dbesdk/item-schema.js';
import { SUITE_COMMITTING, SUITE_SIGNED } from './dbesdk/suites.js';
import { isWellFormed } from './well-formed.js';

// Validates a TableConfig once (the DB-ESDK's configuration rules,
// ddb-table-encryption-config.md) and keeps the result per config object, so the hot path
// (encrypting one item) does no validation work.

export type { ResolvedBeacon } from './resolve-beacons.js';

/** A validated table configuration. */
export type ResolvedTable = DbeSchema & {
  readonly config: TableConfig;
  readonly envelope: Envelope;
  readonly tableName: string;
  /** The table-level context of audit events: never item values. */
  readonly context: EncryptionContext;
  readonly beacons: readonly ResolvedBeacon[];
  /** The beacons written as aws_dbe_b_ attributes (not partOnly, not signed beacons). */
  readonly storedBeacons: readonly ResolvedBeacon[];
  readonly beaconByName: ReadonlyMap<string, ResolvedBeacon>;
  readonly virtualFields: VirtualFields;
  readonly versionAttribute: string;
  /** The switch-over stage (TableConfig.plaintextPolicy, alias resolved). */
  readonly plaintextPolicy: SwitchOverStage;
  /** Attribute names the guard has already passed (names repeat across items). */
  readonly approvedNames: Set<string>;
};

const ACTIONS: ReadonlySet<string> = new Set(['encrypt', 'sign', 'sign-in-context', 'plain']);
const cache = new WeakMap<TableConfig, ResolvedTable>();

function invalid(message: string): PhisealError {
  return new PhisealError('INVALID_CONFIGURATION', message);
}

/**
 * The context of a table's audit events.
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
  if (value.startsWith(RESERVED_PREFIX)) throw invalid(`${what} may not start with "${RESERVED_PREFIX}" (reserved by the DB-ESDK format).`);
  // Names are bound as UTF-8 (canonical paths, the KMS context): a lone surrogate cannot be.
  if (!isWellFormed(value)) throw invalid(`${what} must be well-formed Unicode (no lone surrogates).`);
  return value;
}

function unsignedRule(config: TableConfig): (name: string) => boolean {
  const names = new Set((config.allowedUnsignedAttributes ?? []).map((n) => nonEmptyName(n, 'An allowedUnsignedAttributes entry')));
  const prefix = config.allowedUnsignedAttributePrefix;
  if (prefix !== undefined && (typeof prefix !== 'string' || prefix.length === 0)) throw invalid('allowedUnsignedAttributePrefix must be a non-empty string.');
  // ddb-item-encryptor AllowedUnsigned: named, prefixed, or reserved.
  return (name) => names.has(name) || (prefix !== undefined && name.startsWith(prefix)) || name.startsWith(RESERVED_PREFIX);
}

function configuredActions(config: TableConfig, allowedUnsigned: (n: string) => boolean): Map<string, AttributeAction> {
  const actions = new Map<string, AttributeAction>();
  for (const [name, action] of Object.entries(config.actions ?? {})) {
    nonEmptyName(name, 'An attribute name in actions');
    if (!ACTIONS.has(action)) throw invalid('Every action must be encrypt, sign, sign-in-context or plain.');
    // The DB-ESDK refuses both mismatches (ForwardCompatibleAttributeAction): a plain attribute
    // outside the unsigned set would be expected in every signature, a signed one inside it
    // would be dropped from them.
    if ((action === 'plain') !== allowedUnsigned(name)) {
      throw invalid(
        action === 'plain'
          ? `Attribute "${name}" is plain but not in allowedUnsignedAttributes and not starting with allowedUnsignedAttributePrefix.`
          : `Attribute "${name}" is ${action} but also allowed unsigned (allowedUnsignedAttributes or the prefix).`,
      );
    }
    actions.set(name, action);
  }
  return actions;
}

type KeyList = readonly (readonly [string | undefined, string])[];

function keyActions(actions: Map<string, AttributeAction>, keys: KeyList, keyAction: AttributeAction, allowedUnsigned: (n: string) => boolean): void {
  for (const [name, what] of keys) {
    if (name === undefined) continue;
    if (allowedUnsigned(name)) throw invalid(`The ${what} "${name}" must be signed; remove it from the allowed unsigned attributes.`);
    const configured = actions.get(name);
    if (configured !== undefined && configured !== keyAction) throw invalid(`The ${what} "${name}" must have the action "${keyAction}".`);
    actions.set(name, keyAction);
  }
}

function resolve(config: TableConfig): ResolvedTable {
  if (typeof config !== 'object' || config === null) throw invalid('A table configuration object is required.');
  const envelope = config.envelope;
  if (typeof envelope !== 'object' || envelope === null || typeof envelope.dataKey !== 'function') {
    throw invalid('The table configuration needs an envelope (createEnvelope from @phiseal/core).');
  }
  const tableName = nonEmptyName(config.tableName, 'tableName');
  // A name with ':' or '/' is an ARN (or no DynamoDB table name at all). Configured by ARN it
  // would never match requests by name, which would then go out in the clear.
  if (/[:/]/.test(tableName)) throw invalid('tableName is the table name, not its ARN; key the tables option by ARN to pin region and account.');
  const logicalTableName = config.logicalTableName === undefined ? tableName : nonEmptyName(config.logicalTableName, 'logicalTableName');
  const partitionKey = nonEmptyName(config.partitionKey, 'partitionKey');
  const sortKey = config.sortKey === undefined ? undefined : nonEmptyName(config.sortKey, 'sortKey');
  if (sortKey === partitionKey) throw invalid('partitionKey and sortKey must differ.');
  const defaultAction = config.defaultAction ?? 'encrypt';
  if (!ACTIONS.has(defaultAction) || defaultAction === 'plain') {
    throw invalid('defaultAction must be encrypt, sign or sign-in-context; make attributes plain with allowedUnsignedAttributes or allowedUnsignedAttributePrefix.');
  }
  const suiteName = config.algorithmSuite ?? 'committing';
  if (suiteName !== 'committing' && suiteName !== 'committing-signed') throw invalid('algorithmSuite must be committing or committing-signed.');
  const allowedUnsigned = unsignedRule(config);
  const actions = configuredActions(config, allowedUnsigned);
  // Key attributes are signed; when any attribute is sign-in-context (header version 2) the
  // DB-ESDK requires the keys to be sign-in-context too.
  const version: 1 | 2 = [...actions.values()].includes('sign-in-context') || defaultAction === 'sign-in-context' ? 2 : 1;
  keyActions(actions, [[partitionKey, 'partition key'], [sortKey, 'sort key']], version === 2 ? 'sign-in-context' : 'sign', allowedUnsigned);
  // Named in actions or a key: the DB-ESDK's "configured fields" (search-config.md).
  const explicit = new Set(actions.keys());
  const versionAttribute = nonEmptyName(config.versionAttribute ?? 'version', 'versionAttribute');
  if (!actions.has(versionAttribute) && !allowedUnsigned(versionAttribute)) actions.set(versionAttribute, 'sign');
  const actionOf = (name: string): AttributeAction => actions.get(name) ?? (allowedUnsigned(name) ? 'plain' : defaultAction);
  if (actionOf(versionAttribute) === 'encrypt') throw invalid(`The version attribute "${versionAttribute}" cannot be encrypted (update() compares it in a condition).`);
  const contextAttributes = [...actions.entries()].filter(([, a]) => a === 'sign-in-context').map(([n]) => n);
  const resolvedBeacons = resolveBeacons(config.beacons, {
    actionOf,
    isConfigured: (name) => explicit.has(name) || allowedUnsigned(name),
    hasExplicitAction: (name) => explicit.has(name),
    allowedUnsigned,
    attributeName: nonEmptyName,
  });
  const { beacons, virtualFields } = resolvedBeacons;
  // beacons.md "Signed Beacons": the beacon attribute is automatically SIGN_ONLY.
  for (const name of resolvedBeacons.signedBeaconNames) actions.set(name, 'sign');
  const guard = envelope.guard;
  guard.check(tableName, 'dynamodb.table');
  guard.check(logicalTableName, 'dynamodb.table');
  // Beacon attributes (aws_dbe_b_<name>) are attribute names on every item and index keys.
  for (const name of [partitionKey, ...(sortKey ? [sortKey] : []), versionAttribute, ...actions.keys(), ...beacons.map((b) => b.attributeName)]) {
    guard.check(name, 'dynamodb.attributeName');
  }
  return {
    config,
    envelope,
    tableName,
    logicalTableName,
    partitionKey,
    sortKey,
    actionOf,
    inSignatureScope: (name) => !allowedUnsigned(name),
    version,
    contextAttributes,
    suite: suiteName === 'committing' ? SUITE_COMMITTING : SUITE_SIGNED,
    context: tableContext(tableName),
    beacons,
    storedBeacons: beacons.filter((b) => (b.kind === 'standard' ? !b.partOnly : !b.signedOnly)),
    beaconByName: new Map(beacons.map((b) => [b.name, b])),
    virtualFields,
    versionAttribute,
    plaintextPolicy: resolvePlaintextPolicy(config.plaintextPolicy),
    approvedNames: new Set([partitionKey, ...(sortKey ? [sortKey] : []), versionAttribute, ...actions.keys()]),
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
  const resolved = resolve(config);
  cache.set(config, resolved);
  return resolved;
}
