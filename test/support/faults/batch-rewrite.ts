// Partial batch failures, made the way the services make them: the withheld requests never
// reach the service and come back as unprocessed (DynamoDB) or failed entries (SQS).
import type { AwsCall } from './classify.js';

/** A request body to forward and how to rewrite the answer; `undefined` when not a batch call. */
export type BatchRewrite = { forward: Buffer | undefined; rewrite: (answer: Buffer | undefined) => Buffer };

type Json = Record<string, unknown>;

function parse(bytes: Buffer | undefined): Json {
  const parsed: unknown = bytes === undefined || bytes.length === 0 ? {} : JSON.parse(bytes.toString('utf8'));
  return typeof parsed === 'object' && parsed !== null ? (parsed as Json) : {};
}

const json = (value: unknown): Buffer => Buffer.from(JSON.stringify(value));

/** Moves the last `count` write requests (across tables) into UnprocessedItems. */
function batchWrite(body: Json, count: number): BatchRewrite {
  const items = (body['RequestItems'] ?? {}) as Record<string, unknown[]>;
  const kept: Record<string, unknown[]> = {};
  const withheld: Record<string, unknown[]> = {};
  let left = count;
  for (const table of Object.keys(items).reverse()) {
    const requests = [...(items[table] ?? [])];
    const take = Math.min(left, requests.length);
    left -= take;
    if (take > 0) withheld[table] = requests.splice(requests.length - take, take);
    if (requests.length > 0) kept[table] = requests;
  }
  const forward = Object.keys(kept).length === 0 ? undefined : json({ ...body, RequestItems: kept });
  return {
    forward,
    rewrite: (answer) => {
      const out = parse(answer);
      const unprocessed = { ...((out['UnprocessedItems'] ?? {}) as Record<string, unknown[]>) };
      for (const [table, requests] of Object.entries(withheld)) unprocessed[table] = [...(unprocessed[table] ?? []), ...requests];
      return json({ ...out, UnprocessedItems: unprocessed });
    },
  };
}

type KeysAndAttributes = { Keys?: unknown[] } & Json;

/** Moves the last `count` keys (across tables) into UnprocessedKeys. */
function batchGet(body: Json, count: number): BatchRewrite {
  const items = (body['RequestItems'] ?? {}) as Record<string, KeysAndAttributes>;
  const kept: Record<string, KeysAndAttributes> = {};
  const withheld: Record<string, KeysAndAttributes> = {};
  let left = count;
  for (const table of Object.keys(items).reverse()) {
    const spec = items[table] ?? {};
    const keys = [...(spec.Keys ?? [])];
    const take = Math.min(left, keys.length);
    left -= take;
    if (take > 0) withheld[table] = { ...spec, Keys: keys.splice(keys.length - take, take) };
    if (keys.length > 0) kept[table] = { ...spec, Keys: keys };
  }
  const forward = Object.keys(kept).length === 0 ? undefined : json({ ...body, RequestItems: kept });
  return {
    forward,
    rewrite: (answer) => {
      const out = parse(answer);
      const unprocessed = { ...((out['UnprocessedKeys'] ?? {}) as Record<string, KeysAndAttributes>) };
      for (const [table, spec] of Object.entries(withheld)) {
        unprocessed[table] = { ...spec, Keys: [...(unprocessed[table]?.Keys ?? []), ...(spec.Keys ?? [])] };
      }
      return json({ ...out, Responses: out['Responses'] ?? {}, UnprocessedKeys: unprocessed });
    },
  };
}

/** Withholds the last `count` entries of an SQS batch and reports them as server-side failures. */
function sqsBatch(body: Json, count: number): BatchRewrite {
  const entries = [...((body['Entries'] ?? []) as Json[])];
  const withheld = entries.splice(Math.max(0, entries.length - count));
  const failed = withheld.map((entry) => ({ Id: entry['Id'], SenderFault: false, Code: 'InternalError', Message: 'injected by the fault proxy' }));
  return {
    forward: entries.length === 0 ? undefined : json({ ...body, Entries: entries }),
    rewrite: (answer) => {
      const out = parse(answer);
      return json({ ...out, Successful: out['Successful'] ?? [], Failed: [...((out['Failed'] ?? []) as unknown[]), ...failed] });
    },
  };
}

/** The rewrite for a batch call, or undefined when `call` is not one this fault applies to. */
export function batchRewrite(call: AwsCall, body: Buffer, count: number): BatchRewrite | undefined {
  const parsed = parse(body);
  if (call.service === 'dynamodb' && call.operation === 'BatchWriteItem') return batchWrite(parsed, count);
  if (call.service === 'dynamodb' && call.operation === 'BatchGetItem') return batchGet(parsed, count);
  if (call.service === 'sqs' && /^(SendMessage|DeleteMessage|ChangeMessageVisibility)Batch$/.test(call.operation)) return sqsBatch(parsed, count);
  return undefined;
}
