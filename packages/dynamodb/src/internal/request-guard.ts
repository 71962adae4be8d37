import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { AttributeMap } from './attribute-codec.js';
import { checkAttributeValue } from './attribute-codec.js';
import type { ResolvedTable } from './resolve-table.js';
import { requireWellFormed } from './well-formed.js';

// The surfaces DynamoDB stores in the clear: index names, attribute names and key values
// (a key appears in CloudWatch metrics, CloudTrail data events, error messages and every
// GSI). The table name was checked when the configuration was resolved.

const MAX_APPROVED = 10_000;

/**
 * Guards attribute names, remembering the ones that passed (they repeat on every item).
 * @throws PhisealError PHI_DETECTED, INVALID_ARGUMENT (a name that is not well-formed Unicode).
 * @example
 * ```ts
 * guardNames(table, Object.keys(item));
 * ```
 */
export function guardNames(t: ResolvedTable, names: Iterable<string>): void {
  for (const name of names) {
    if (t.approvedNames.has(name)) continue;
    requireWellFormed(name, 'An attribute name');
    t.envelope.guard.check(name, 'dynamodb.attributeName');
    if (t.approvedNames.size < MAX_APPROVED) t.approvedNames.add(name);
  }
}

/**
 * Guards an index name.
 * @throws PhisealError PHI_DETECTED.
 * @example
 * ```ts
 * guardIndex(table, 'by-email');
 * ```
 */
export function guardIndex(t: ResolvedTable, index: unknown): void {
  if (typeof index === 'string') t.envelope.guard.check(index, 'dynamodb.index');
}

/**
 * Guards one key value (String and Number; Binary keys are opaque bytes).
 * @throws PhisealError PHI_DETECTED, INVALID_ARGUMENT (not exactly one member, or not well-formed Unicode).
 * @example
 * ```ts
 * guardKeyValue(table, { S: 'patient-0001' });
 * ```
 */
export function guardKeyValue(t: ResolvedTable, value: AttributeValue | undefined): void {
  if (value === undefined) return;
  // Exactly one member: DynamoDB and the SDK would each pick one, perhaps not the one checked.
  checkAttributeValue(value);
  if (value.S !== undefined) {
    requireWellFormed(value.S, 'A key value');
    t.envelope.guard.check(value.S, 'dynamodb.key');
  } else if (value.N !== undefined) t.envelope.guard.check(value.N, 'dynamodb.key');
}

/**
 * Guards the key attributes of an item or key, and its attribute names; checks every value
 * has exactly one well-typed member.
 * @throws PhisealError PHI_DETECTED, INVALID_ARGUMENT.
 * @example
 * ```ts
 * guardItem(table, { patientId: { S: 'pt-1' } });
 * ```
 */
export function guardItem(t: ResolvedTable, item: AttributeMap | undefined): void {
  if (!item) return;
  const names = Object.keys(item);
  guardNames(t, names);
  for (const name of names) checkAttributeValue(item[name]!);
  guardKeyValue(t, item[t.partitionKey]);
  if (t.sortKey !== undefined) guardKeyValue(t, item[t.sortKey]);
}

/**
 * Guards the names an expression aliases.
 * @throws PhisealError PHI_DETECTED.
 * @example
 * ```ts
 * guardExpressionNames(table, { '#n': 'name' });
 * ```
 */
export function guardExpressionNames(t: ResolvedTable, names: Readonly<Record<string, string>> | undefined): void {
  if (names) guardNames(t, Object.values(names));
}

/**
 * Checks that every value a request carries besides the item (expression values, legacy
 * `AttributeUpdates` values) has exactly one member: an update stores them as they are.
 * @throws PhisealError INVALID_ARGUMENT.
 * @example
 * ```ts
 * checkRequestValues(input);
 * ```
 */
export function checkRequestValues(input: object): void {
  const r = input as { ExpressionAttributeValues?: Record<string, AttributeValue>; AttributeUpdates?: Record<string, { Value?: AttributeValue }> };
  for (const value of Object.values(r.ExpressionAttributeValues ?? {})) checkAttributeValue(value);
  for (const update of Object.values(r.AttributeUpdates ?? {})) if (update?.Value !== undefined) checkAttributeValue(update.Value);
}
