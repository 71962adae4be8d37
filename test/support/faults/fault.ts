// What the proxy can do to one request.

/**
 * - `status`: answer with an AWS error (`code`) and HTTP `status`; the request never reaches the service.
 * - `throttle`: the service's throttling error; the request never reaches the service.
 * - `reset-before`: cut the connection before forwarding (nothing happened).
 * - `reset-after`: forward, let the service act, then cut the connection (the response is lost).
 * - `latency`: wait `ms` before forwarding, then answer normally.
 * - `truncate`: forward, send the headers and the first `bytes` of the body, then (after
 *   `afterMs`, so the client can be busy elsewhere meanwhile) cut the connection.
 * - `unprocessed`: DynamoDB BatchWriteItem/BatchGetItem: withhold `count` requests from the
 *   service and return them as UnprocessedItems/UnprocessedKeys.
 * - `partial-batch`: SQS SendMessageBatch/DeleteMessageBatch/ChangeMessageVisibilityBatch:
 *   withhold `count` entries and report them in `Failed` (a server-side failure).
 */
export type Fault =
  | { kind: 'status'; status: number; code: string }
  | { kind: 'throttle' }
  | { kind: 'reset-before' }
  | { kind: 'reset-after' }
  | { kind: 'latency'; ms: number }
  | { kind: 'truncate'; bytes: number; afterMs?: number }
  | { kind: 'unprocessed'; count: number }
  | { kind: 'partial-batch'; count: number };

/** Faults that leave the request unanswered but not applied: a retry is always safe. */
export const TRANSIENT_FAULTS: readonly Fault[] = [
  { kind: 'status', status: 500, code: 'InternalError' },
  { kind: 'status', status: 503, code: 'ServiceUnavailable' },
  { kind: 'throttle' },
  { kind: 'reset-before' },
];
