import type {
  BatchGetItemInput,
  BatchWriteItemInput,
  DeleteItemInput,
  GetItemInput,
  PutItemInput,
  QueryInput,
  ScanInput,
  TransactGetItemsInput,
  TransactWriteItemsInput,
  UpdateItemInput,
} from '@aws-sdk/client-dynamodb';
import { PhisealError } from '@phiseal/core';
import { encryptResolved } from '../encrypt-item.js';
import { plaintextItem, writesPlaintext } from './plaintext-policy.js';
import type { AttributeMap } from './attribute-codec.js';
import { referencedNames } from './expression-names.js';
import { audited, type AuditNote } from './request-audit.js';
import { checkRequestValues, guardExpressionNames, guardIndex, guardItem, guardKeyValue, guardNames } from './request-guard.js';
import { checkCondition, checkCount, checkProjection, checkStatement, checkUpdate } from './request-policy.js';
import { checkBeaconTenant } from './beacon-tenant.js';
import { BEACON_PREFIX } from './reserved.js';
import type { ResolvedTable } from './resolve-table.js';
import type { TableMap } from './table-lookup.js';

// The request side of the integration, on DynamoDB wire-form inputs (after the
// DocumentClient has marshalled them; responses are in response-transform.ts). Inputs are
// copied, never modified: a low-level caller's object is theirs.

export type { TableMap } from './table-lookup.js';

/** Batch and transaction limits of DynamoDB. */
export const LIMITS = { batchWrite: 25, batchGet: 100, transaction: 100 } as const;

type Names = Record<string, string> | undefined;
const op = (command: string): string => command.replace(/Command$/, '');

// By name or ARN (table-lookup.ts): a configured table named any way is never sent in the clear.
const tableOf = (input: object, tables: TableMap): ResolvedTable | undefined => tables.find((input as { TableName?: unknown }).TableName);

// 'write-plaintext' stores the (already guarded) item as given; every other stage encrypts it.
async function storedItem(t: ResolvedTable, item: AttributeMap, note: AuditNote): Promise<AttributeMap> {
  return writesPlaintext(t) ? plaintextItem(t, item) : encryptResolved(t, item, note);
}

function withProjection<T extends { ProjectionExpression?: string | undefined; ExpressionAttributeNames?: Names; AttributesToGet?: string[] | undefined }>(
  t: ResolvedTable,
  input: T,
): T {
  const p = checkProjection(t, input.ProjectionExpression, input.ExpressionAttributeNames, input.AttributesToGet);
  if (!p) return input;
  const { AttributesToGet: _dropped, ...rest } = input;
  return { ...rest, ProjectionExpression: p.expression, ExpressionAttributeNames: p.names } as T;
}

function guardKeyCondition(t: ResolvedTable, input: QueryInput): void {
  const refs = referencedNames(input.KeyConditionExpression, input.ExpressionAttributeNames);
  // Beacon values are our own truncated HMACs; everything else compared with a key is a key value.
  if ([...refs.values].some((n) => n.startsWith(BEACON_PREFIX))) return;
  const placeholders = input.KeyConditionExpression?.match(/:[A-Za-z0-9_]+/g) ?? [];
  for (const p of placeholders) guardKeyValue(t, input.ExpressionAttributeValues?.[p]);
  for (const c of Object.values(input.KeyConditions ?? {})) for (const v of c.AttributeValueList ?? []) guardKeyValue(t, v);
}

async function putInput(t: ResolvedTable, input: PutItemInput, note: AuditNote): Promise<PutItemInput> {
  guardItem(t, input.Item);
  guardExpressionNames(t, input.ExpressionAttributeNames);
  checkRequestValues(input);
  checkCondition(t, 'condition expression', input.ConditionExpression, input.ExpressionAttributeNames, input.Expected);
  return { ...input, Item: await storedItem(t, input.Item ?? {}, note) };
}

function keyed<T extends { Key?: AttributeMap | undefined; ExpressionAttributeNames?: Names; ConditionExpression?: string | undefined }>(
  t: ResolvedTable,
  input: T,
  expected?: object,
): void {
  guardItem(t, input.Key);
  guardExpressionNames(t, input.ExpressionAttributeNames);
  checkRequestValues(input);
  checkCondition(t, 'condition expression', input.ConditionExpression, input.ExpressionAttributeNames, expected);
}

function updateInput(t: ResolvedTable, input: UpdateItemInput): UpdateItemInput {
  keyed(t, input, input.Expected);
  checkUpdate(t, input.UpdateExpression, input.ExpressionAttributeNames, input.AttributeUpdates);
  // An update can add attributes: names written inline in the expression or as legacy
  // AttributeUpdates keys are stored in the clear like any other attribute name.
  guardNames(t, referencedNames(input.UpdateExpression, input.ExpressionAttributeNames).values);
  guardNames(t, Object.keys(input.AttributeUpdates ?? {}));
  return input;
}

function readInput<T extends QueryInput | ScanInput>(t: ResolvedTable, input: T, isQuery: boolean): T {
  guardIndex(t, input.IndexName);
  guardExpressionNames(t, input.ExpressionAttributeNames);
  checkRequestValues(input);
  guardItem(t, input.ExclusiveStartKey);
  if (isQuery) {
    const q = input as QueryInput;
    checkCondition(t, 'key condition', q.KeyConditionExpression, q.ExpressionAttributeNames, q.KeyConditions);
    guardKeyCondition(t, q);
    checkCondition(t, 'filter expression', input.FilterExpression, input.ExpressionAttributeNames, q.QueryFilter);
  } else {
    checkCondition(t, 'filter expression', input.FilterExpression, input.ExpressionAttributeNames, (input as ScanInput).ScanFilter);
  }
  checkBeaconTenant(t, input);
  return withProjection(t, input);
}

/** BatchGetItem: the keys of configured tables guarded, projections widened to what verification needs. */
function batchGetInput(input: object, tables: TableMap): object {
  const req = (input as BatchGetItemInput).RequestItems ?? {};
  checkCount('BatchGetItem', Object.values(req).reduce((n, r) => n + (r.Keys?.length ?? 0), 0), LIMITS.batchGet);
  const out: NonNullable<BatchGetItemInput['RequestItems']> = {};
  for (const [name, r] of Object.entries(req)) {
    const t = tables.find(name);
    if (t) for (const k of r.Keys ?? []) guardItem(t, k);
    out[name] = t ? withProjection(t, r) : r;
  }
  return { ...input, RequestItems: out };
}

/** BatchWriteItem: deletes guarded, puts guarded and encrypted (audited per table). */
async function batchWriteInput(command: string, input: object, tables: TableMap): Promise<object> {
  const req = (input as BatchWriteItemInput).RequestItems ?? {};
  checkCount('BatchWriteItem', Object.values(req).reduce((n, r) => n + r.length, 0), LIMITS.batchWrite);
  const out: NonNullable<BatchWriteItemInput['RequestItems']> = {};
  for (const [name, requests] of Object.entries(req)) {
    const t = tables.find(name);
    if (t && !Array.isArray(requests)) throw new PhisealError('INVALID_ARGUMENT', 'BatchWriteItem takes a list of requests per table.');
    out[name] = !t
      ? requests
      : await audited(t, op(command), (note) =>
          Promise.all(
            requests.map(async (r) => {
              if (r.DeleteRequest) guardItem(t, r.DeleteRequest.Key);
              if (!r.PutRequest) return r;
              guardItem(t, r.PutRequest.Item);
              return { ...r, PutRequest: { ...r.PutRequest, Item: await storedItem(t, r.PutRequest.Item ?? {}, note) } };
            }),
          ),
        );
  }
  return { ...input, RequestItems: out };
}

/** TransactGetItems: keys of configured tables checked, projections widened. */
function transactGetInput(input: object, tables: TableMap): object {
  const items = (input as TransactGetItemsInput).TransactItems ?? [];
  checkCount('TransactGetItems', items.length, LIMITS.transaction);
  return {
    ...input,
    TransactItems: items.map((item) => {
      const t = tables.find(item.Get?.TableName);
      if (!t || !item.Get) return item;
      keyed(t, item.Get);
      return { ...item, Get: withProjection(t, item.Get) };
    }),
  };
}

/** TransactWriteItems: one action per item; puts encrypted, updates, deletes and condition checks checked. */
async function transactWriteInput(command: string, input: object, tables: TableMap): Promise<object> {
  const items = (input as TransactWriteItemsInput).TransactItems ?? [];
  checkCount('TransactWriteItems', items.length, LIMITS.transaction);
  const out = await Promise.all(
    items.map(async (item) => {
      const parts = [item.Put, item.Update, item.Delete, item.ConditionCheck].filter((p) => p !== undefined);
      // One action per item (as DynamoDB requires): a second one must not ride along unchecked.
      if (parts.length > 1) throw new PhisealError('INVALID_ARGUMENT', 'A TransactWriteItems item holds exactly one of Put, Update, Delete, ConditionCheck.');
      const t = tables.find(parts[0]?.TableName);
      if (!t) return item;
      if (item.Put) return { ...item, Put: await audited(t, op(command), (note) => putInput(t, item.Put as PutItemInput, note)) };
      if (item.Update) updateInput(t, item.Update);
      if (item.Delete) keyed(t, item.Delete);
      if (item.ConditionCheck) keyed(t, item.ConditionCheck);
      return item;
    }),
  );
  return { ...input, TransactItems: out };
}

/**
 * Checks, guards and encrypts one request for configured tables; returns the input to send.
 * @throws PhisealError UNSUPPORTED_OPERATION, LIMIT_EXCEEDED, PHI_DETECTED and encryption errors.
 * @example
 * ```ts
 * const input = await prepareInput('PutItemCommand', args.input, tables);
 * ```
 */
export async function prepareInput(command: string, input: object, tables: TableMap): Promise<object> {
  const single = tableOf(input, tables);
  switch (command) {
    case 'PutItemCommand':
      return single ? audited(single, op(command), (note) => putInput(single, input as PutItemInput, note)) : input;
    case 'GetItemCommand':
      if (!single) return input;
      keyed(single, input as GetItemInput);
      return withProjection(single, input as GetItemInput);
    case 'DeleteItemCommand':
      if (single) keyed(single, input as DeleteItemInput, (input as DeleteItemInput).Expected);
      return input;
    case 'UpdateItemCommand':
      return single ? updateInput(single, input as UpdateItemInput) : input;
    case 'QueryCommand':
    case 'ScanCommand':
      return single ? readInput(single, input as QueryInput, command === 'QueryCommand') : input;
    case 'BatchGetItemCommand':
      return batchGetInput(input, tables);
    case 'BatchWriteItemCommand':
      return batchWriteInput(command, input, tables);
    case 'TransactGetItemsCommand':
      return transactGetInput(input, tables);
    case 'TransactWriteItemsCommand':
      return transactWriteInput(command, input, tables);
    case 'ExecuteStatementCommand':
      checkStatement(tables.all(), (input as { Statement?: unknown }).Statement);
      return input;
    case 'BatchExecuteStatementCommand':
    case 'ExecuteTransactionCommand': {
      const statements = input as { Statements?: { Statement?: string }[]; TransactStatements?: { Statement?: string }[] };
      for (const s of statements.Statements ?? statements.TransactStatements ?? []) {
        checkStatement(tables.all(), s.Statement);
      }
      return input;
    }
    default:
      return input;
  }
}
