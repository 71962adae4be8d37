import { PhisealError } from '@phiseal/core';
import { projectedNames, referencedNames } from './expression-names.js';
import { unsupported } from './failures.js';
import { BEACON_PREFIX, HEADER_ATTRIBUTE, RESERVED_PREFIX } from './reserved.js';
import type { ResolvedTable } from './resolve-table.js';

// What cannot be done safely on a configured table, refused before any request with a
// message that says what to do instead (README, "Refused operations").

type Names = Readonly<Record<string, string>> | undefined;

/**
 * The action an attribute has in stored items: beacons are signed, the header is the header.
 * @throws never
 * @example
 * ```ts
 * storedAction(table, 'aws_dbe_b_email'); // 'sign'
 * ```
 */
export function storedAction(t: ResolvedTable, name: string): 'encrypt' | 'sign' | 'sign-in-context' | 'plain' | 'header' {
  if (name === HEADER_ATTRIBUTE) return 'header';
  if (name.startsWith(BEACON_PREFIX) && t.beacons.some((b) => b.attributeName === name)) return 'sign';
  if (name.startsWith(RESERVED_PREFIX)) return 'header';
  return t.actionOf(name);
}

/**
 * Refuses a condition, filter or key condition that compares an encrypted attribute (its
 * stored value is ciphertext, so the comparison would be meaningless or leak). Presence
 * tests (`attribute_exists`) are fine: presence is not encrypted.
 * @throws PhisealError UNSUPPORTED_OPERATION.
 * @example
 * ```ts
 * checkCondition(table, 'condition expression', 'clinic = :c', undefined);
 * ```
 */
export function checkCondition(t: ResolvedTable, what: string, expression: string | undefined, names: Names, legacy?: object): void {
  const refs = referencedNames(expression, names);
  for (const name of Object.keys(legacy ?? {})) refs.values.add(name);
  for (const name of refs.values) {
    const action = storedAction(t, name);
    if (action === 'encrypt' || action === 'header') {
      throw unsupported(
        `A ${what} that names an encrypted attribute`,
        'DynamoDB only sees ciphertext. Read the items and filter after decryption, query a beacon with queryByBeacon, or give the attribute the action "sign" if its value is not PHI.',
      );
    }
  }
}

/**
 * Refuses updates touching a signed or encrypted attribute: DynamoDB would change a value
 * the tag covers (or write plaintext where ciphertext belongs) and the item would no longer
 * verify. Plain attributes may be updated in place.
 * @throws PhisealError UNSUPPORTED_OPERATION.
 * @example
 * ```ts
 * checkUpdate(table, 'SET note = :n', undefined);
 * ```
 */
export function checkUpdate(t: ResolvedTable, expression: string | undefined, names: Names, legacy?: object): void {
  const refs = referencedNames(expression, names);
  for (const name of Object.keys(legacy ?? {})) refs.values.add(name);
  for (const name of refs.values) {
    if (storedAction(t, name) !== 'plain') {
      throw unsupported(
        'UpdateItem on a signed or encrypted attribute',
        'use encryptedTable(config).update(key, changes), which reads and decrypts the item, applies the changes and writes it back with a condition on the version attribute.',
      );
    }
  }
}

/**
 * Refuses projections on a configured table: a DB-ESDK item verifies only whole (the footer
 * covers every attribute outside the allowed-unsigned set, which a projection cannot name in
 * advance), and a projection naming an encrypted attribute would return ciphertext. Returns
 * undefined when there is no projection. The Java DB-ESDK refuses the same.
 * @throws PhisealError UNSUPPORTED_OPERATION.
 * @example
 * ```ts
 * checkProjection(table, undefined, undefined, undefined); // undefined
 * ```
 */
export function checkProjection(
  t: ResolvedTable,
  expression: string | undefined,
  names: Names,
  attributesToGet: readonly string[] | undefined,
): { expression: string; names: Record<string, string> } | undefined {
  if (!expression && !attributesToGet) return undefined;
  const projected = new Set(expression ? projectedNames(expression, names) : attributesToGet);
  const instead = 'read whole items (the footer covers every signed attribute) and pick attributes after decryption.';
  for (const name of projected) {
    const action = storedAction(t, name);
    if (action === 'encrypt' || action === 'header') throw unsupported('A projection that names an encrypted attribute', instead);
  }
  throw unsupported('A projection on an encrypted table', instead);
}

/**
 * Refuses PartiQL statements that mention a configured table.
 * @throws PhisealError UNSUPPORTED_OPERATION.
 * @example
 * ```ts
 * checkStatement(tables.values(), 'SELECT * FROM "patients"');
 * ```
 */
export function checkStatement(tables: Iterable<ResolvedTable>, statement: unknown): void {
  if (typeof statement !== 'string') return;
  // Case-insensitively, and a table ARN contains the name: any mention refuses (fail closed).
  const lower = statement.toLowerCase();
  for (const t of tables) {
    if (lower.includes(t.tableName.toLowerCase())) {
      throw unsupported(
        'PartiQL',
        'statements bypass item encryption and signing. Use the item commands (Put, Get, Query, ...) or encryptedTable methods on this table.',
      );
    }
  }
}

/**
 * Refuses a batch or transaction over DynamoDB's item limit, before encrypting anything.
 * @throws PhisealError LIMIT_EXCEEDED.
 * @example
 * ```ts
 * checkCount('BatchWriteItem', requests.length, 25);
 * ```
 */
export function checkCount(what: string, count: number, limit: number): void {
  if (count > limit) {
    throw new PhisealError('LIMIT_EXCEEDED', `${what} accepts at most ${limit} items per request (got ${count}); split it into several requests.`, {
      details: { count, limit },
    });
  }
}
