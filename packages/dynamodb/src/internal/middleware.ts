import type { TableMap } from './table-lookup.js';
import { prepareInput } from './request-transform.js';
import { processOutput } from './response-transform.js';

// Where the integration sits in an AWS SDK v3 middleware stack (docs/dynamodb-format.md,
// "Integration"). The DocumentClient marshalls in `DocumentMarshall` (relative: before
// `serializerMiddleware`) and unmarshalls in `DocumentUnmarshall` (before
// `deserializerMiddleware`). Encryption is defined over wire-form AttributeValues (types must
// survive), so ours run just inside those: after DocumentMarshall on the way out, after
// DocumentUnmarshall (that is, closer to the deserializer) on the way back.
//
// A low-level DynamoDBClient has no DocumentMarshall, and a relative middleware whose anchor
// is missing makes the stack throw. So on a client stack we also register pass-through
// placeholders under those two names with the same anchors; a DocumentClient command's own
// marshallers (added with override) replace them when its stack is concatenated.

type Handler = (args: { input: object }) => Promise<{ output: object }>;
type Middleware = (next: Handler, context: { commandName?: string }) => Handler;
type RelativeOptions = { name: string; relation: 'before' | 'after'; toMiddleware: string; override: boolean };

/** The one stack method used. */
export type StackLike = { addRelativeTo(middleware: never, options: RelativeOptions): void };

/** Names of the middleware, stable so that a second installation replaces the first. */
export const ENCRYPT_MIDDLEWARE = 'phisealDynamoDbEncrypt';
export const DECRYPT_MIDDLEWARE = 'phisealDynamoDbDecrypt';

const passThrough: Middleware = (next) => (args) => next(args);

function encryptMiddleware(tables: TableMap): Middleware {
  return (next, context) => async (args) => {
    await tables.ready();
    const input = await prepareInput(context.commandName ?? '', args.input, tables);
    return next({ ...args, input });
  };
}

const SINGLE_WRITES = new Set(['PutItemCommand', 'DeleteItemCommand', 'UpdateItemCommand']);

/**
 * A failed condition with `ReturnValuesOnConditionCheckFailure: 'ALL_OLD'` carries the stored
 * item in the SDK's error (`ConditionalCheckFailedException.Item`): it is verified and
 * decrypted in place, so the caller gets the item it would read, never ciphertext; an item
 * that does not verify is removed from the error (the error itself is kept as the SDK's).
 */
async function decryptErrorItem(command: string, input: object, error: unknown, tables: TableMap): Promise<void> {
  if (!SINGLE_WRITES.has(command) || typeof error !== 'object' || error === null) return;
  const failed = error as { Item?: unknown };
  if (typeof failed.Item !== 'object' || failed.Item === null) return;
  try {
    const out = (await processOutput(command, input, { Attributes: failed.Item }, tables)) as { Attributes?: unknown };
    failed.Item = out.Attributes;
  } catch {
    delete failed.Item;
  }
}

function decryptMiddleware(tables: TableMap): Middleware {
  return (next, context) => async (args) => {
    const result = await next(args).catch(async (error: unknown) => {
      await tables.ready();
      await decryptErrorItem(context.commandName ?? '', args.input, error, tables);
      throw error;
    });
    await tables.ready();
    const output = await processOutput(context.commandName ?? '', args.input, result.output, tables);
    return { ...result, output };
  };
}

/**
 * Adds the encrypt and decrypt middleware for `tables` to `stack`. `placeholders` is true for
 * a client stack (shared by the low-level client and any DocumentClient over it) and false for
 * a DocumentClient command's own stack.
 * @throws never (the stack throws later, at send, if an anchor is missing).
 * @example
 * ```ts
 * installMiddleware(client.middlewareStack as StackLike, tables, true);
 * ```
 */
export function installMiddleware(stack: StackLike, tables: TableMap, placeholders: boolean): void {
  if (placeholders) {
    stack.addRelativeTo(passThrough as never, { name: 'DocumentMarshall', relation: 'before', toMiddleware: 'serializerMiddleware', override: true });
    stack.addRelativeTo(passThrough as never, {
      name: 'DocumentUnmarshall',
      relation: 'before',
      toMiddleware: 'deserializerMiddleware',
      override: true,
    });
  }
  stack.addRelativeTo(encryptMiddleware(tables) as never, { name: ENCRYPT_MIDDLEWARE, relation: 'after', toMiddleware: 'DocumentMarshall', override: true });
  stack.addRelativeTo(decryptMiddleware(tables) as never, {
    name: DECRYPT_MIDDLEWARE,
    relation: 'after',
    toMiddleware: 'DocumentUnmarshall',
    override: true,
  });
}
