import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { awsCallFailure, PhisealError } from '@phiseal/core';
import type { Condition } from '../encrypted-table-types.js';
import { installMiddleware, type StackLike } from './middleware.js';
import { regionProvider, tableLookup } from './table-lookup.js';
import type { ResolvedTable } from './resolve-table.js';

// What the encryptedTable helpers share: the resolved table, the DocumentClient to send
// with, and `prepare`, which puts the phiseal middleware on one command's own stack (so the
// caller's client is not changed).

/** Shared state of one encrypted table object. */
export type TableRuntime = {
  readonly t: ResolvedTable;
  readonly doc: DynamoDBDocumentClient;
  readonly retry: { readonly attempts: number; readonly baseDelayMs: number };
  prepare<C extends { middlewareStack: unknown }>(command: C): C;
};

/**
 * Creates the runtime.
 * @throws never
 * @example
 * ```ts
 * const runtime = createRuntime(table, doc, { attempts: 5, baseDelayMs: 50 });
 * ```
 */
export function createRuntime(t: ResolvedTable, doc: DynamoDBDocumentClient, retry: TableRuntime['retry']): TableRuntime {
  const tables = tableLookup([[t.tableName, t]], { region: regionProvider(doc) });
  return {
    t,
    doc,
    retry,
    prepare(command) {
      installMiddleware(command.middlewareStack as StackLike, tables, false);
      (command.middlewareStack as { add(middleware: never, options: Record<string, unknown>): void }).add(transportFailures as never, {
        step: 'initialize',
        priority: 'high',
        name: 'phisealTransportFailures',
        // lib-dynamodb copies its command's stack into the low-level command's.
        override: true,
      });
      return command;
    },
  };
}

// Low-level names (lib-dynamodb runs its commands through these) and the document ones.
const WRITES = new Set(['PutItem', 'DeleteItem', 'UpdateItem', 'BatchWriteItem', 'TransactWriteItems', 'Put', 'Delete', 'Update', 'BatchWrite', 'TransactWrite']);

/**
 * The error policy (issue #17): a service answer (ConditionalCheckFailedException...) reaches
 * the caller as the SDK's own error; a failure with no answer (a reset, a timeout, a cut
 * body) becomes `AWS_REQUEST_FAILED`, retryable, the original in `cause`, and on a write
 * `details.outcome: 'unknown'` (the item may have been written; the writes are idempotent,
 * so a retry is safe).
 */
function transportFailures(next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) {
  return async (args: unknown): Promise<unknown> => {
    try {
      return await next(args);
    } catch (error) {
      const command = context.commandName ?? 'Command';
      const operation = command.replace(/Command$/, '');
      const failure = awsCallFailure('DynamoDB', operation, error);
      if (failure === error || !PhisealError.is(failure) || !WRITES.has(operation)) throw failure;
      throw new PhisealError(failure.code, failure.message, { cause: error, retryable: true, details: { ...failure.details, outcome: 'unknown' } });
    }
  };
}

/**
 * The expression fields of a condition, omitting what is absent.
 * @throws never
 * @example
 * ```ts
 * conditionFields({ expression: 'a = :a', values: { ':a': 1 } });
 * ```
 */
export function conditionFields(
  condition: Condition | undefined,
  field: 'ConditionExpression' | 'KeyConditionExpression' | 'FilterExpression' = 'ConditionExpression',
): Record<string, unknown> {
  if (!condition) return {};
  return {
    [field]: condition.expression,
    ...(condition.names ? { ExpressionAttributeNames: condition.names } : {}),
    ...(condition.values ? { ExpressionAttributeValues: condition.values } : {}),
  };
}

/**
 * Merges two conditions' names and values (a query's key condition and filter).
 * @throws never
 * @example
 * ```ts
 * mergeConditions(conditionFields(key, 'KeyConditionExpression'), conditionFields(filter, 'FilterExpression'));
 * ```
 */
export function mergeConditions(...parts: Record<string, unknown>[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const p of parts) {
    for (const [k, v] of Object.entries(p)) {
      out[k] = k.startsWith('ExpressionAttribute') ? { ...(out[k] as object | undefined), ...(v as object) } : v;
    }
  }
  return out;
}

/**
 * Waits `ms` milliseconds.
 * @throws never
 * @example
 * ```ts
 * await sleep(50);
 * ```
 */
export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
