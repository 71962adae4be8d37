import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { PhisealError } from '@phiseal/core';
import type { Changes, Item, Key } from '../encrypted-table-types.js';
import type { TableRuntime } from './table-runtime.js';

// UpdateItem cannot change signed or encrypted attributes (DynamoDB would alter what the tag
// covers), so `update` reads and decrypts the item, applies the changes, and puts it back
// re-encrypted only if nobody wrote it in between: the condition is on the version
// attribute, which is signed (so DynamoDB can compare it) and incremented on every update.

const ATTEMPTS = 3;

function isConditionFailure(error: unknown): boolean {
  return (error as { name?: unknown } | null)?.name === 'ConditionalCheckFailedException';
}

function apply(current: Item | undefined, key: Key, changes: Changes): Item {
  if (typeof changes === 'function') {
    const modify = changes as (current: Item | undefined) => Item;
    const next: unknown = modify(current === undefined ? undefined : structuredClone<Item>(current));
    if (typeof next !== 'object' || next === null || Array.isArray(next)) {
      throw new PhisealError('INVALID_ARGUMENT', 'An update function must return the new item (an object).');
    }
    return next;
  }
  const next: Item = { ...(current ?? key) };
  for (const [name, value] of Object.entries(changes)) {
    if (value === undefined) delete next[name];
    else next[name] = value as unknown;
  }
  return next;
}

/**
 * Applies `changes` to the item at `key` (creating it if absent) with optimistic locking.
 * @throws PhisealError INVALID_ARGUMENT (changes alter the key), AWS_REQUEST_FAILED (still
 * conflicting after 3 attempts), and the errors of get and put.
 * @example
 * ```ts
 * await updateItem(runtime, { patientId: 'pt-1' }, { phone: '555' });
 * ```
 */
export async function updateItem(rt: TableRuntime, key: Key, changes: Changes): Promise<Item> {
  const { t } = rt;
  const v = t.versionAttribute;
  let lastError: unknown;
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const got = await rt.doc.send(rt.prepare(new GetCommand({ TableName: t.tableName, Key: key, ConsistentRead: true })));
    const current = got.Item;
    const next = apply(current, key, changes);
    for (const k of t.sortKey === undefined ? [t.partitionKey] : [t.partitionKey, t.sortKey]) {
      if (next[k] !== key[k]) throw new PhisealError('INVALID_ARGUMENT', 'update() cannot change key attributes; put a new item and delete the old one.');
    }
    const version: unknown = current?.[v];
    if (current !== undefined && version !== undefined && typeof version !== 'number') {
      throw new PhisealError('INVALID_ARGUMENT', `The version attribute "${v}" must hold a number.`);
    }
    next[v] = (typeof version === 'number' ? version : 0) + 1;
    const condition =
      current === undefined
        ? { ConditionExpression: 'attribute_not_exists(#k)', ExpressionAttributeNames: { '#k': t.partitionKey } }
        : version === undefined
          ? { ConditionExpression: 'attribute_not_exists(#v)', ExpressionAttributeNames: { '#v': v } }
          : { ConditionExpression: '#v = :v', ExpressionAttributeNames: { '#v': v }, ExpressionAttributeValues: { ':v': version } };
    try {
      await rt.doc.send(rt.prepare(new PutCommand({ TableName: t.tableName, Item: next, ...condition })));
      return next;
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      lastError = error;
    }
  }
  throw new PhisealError('AWS_REQUEST_FAILED', `update() lost ${ATTEMPTS} races with concurrent writers; try again.`, { cause: lastError });
}
