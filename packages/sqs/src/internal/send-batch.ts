// SendMessageBatch with the extended clients' behaviour (offload per entry) and SQS's
// limits: at most 10 entries and the batch size limit per request. Entries are prepared
// (encrypted, offloaded) independently, so one bad entry fails alone.
import {
  SendMessageBatchCommand,
  type SendMessageBatchCommandOutput,
  type SendMessageBatchRequestEntry,
} from '@aws-sdk/client-sqs';
import { PhisealError, trackAttempts } from '@phiseal/core';
import type { BatchEntry, SendBatchResult } from '../types.js';
import { auditSqs } from './audit.js';
import { MAX_BATCH_ENTRIES } from './constants.js';
import { awsRequestFailed, failureCode, invalidArgument, outcomeUnknown } from './errors.js';
import { prepareMessage, type PreparedMessage } from './prepare-message.js';
import type { QueueContext } from './queue-context.js';
import { requestFields, sendFailure } from './send-message.js';
import { sqsRequest } from './sqs-request.js';
import { isList } from './is-list.js';

type Ready = { id: string; prepared: PreparedMessage };

const ENTRY_ID = /^[A-Za-z0-9_-]{1,80}$/;

function entryIds(entries: readonly BatchEntry[]): string[] {
  const ids = entries.map((entry, index) => {
    if (typeof entry !== 'object' || entry === null) throw invalidArgument('Every batch entry must be an object.');
    const id = entry.id ?? String(index);
    if (typeof id !== 'string' || !ENTRY_ID.test(id)) throw invalidArgument('Batch entry ids must be 1 to 80 of A-Z a-z 0-9 _ -.');
    return id;
  });
  if (new Set(ids).size !== ids.length) throw invalidArgument('Batch entry ids must be unique.');
  return ids;
}

/** Greedy packing in order (FIFO order is kept): at most 10 entries and `limit` bytes per request. */
export function packBatches<T extends { prepared: { size: number } }>(items: readonly T[], limit: number): T[][] {
  const batches: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const item of items) {
    if (current.length === MAX_BATCH_ENTRIES || (current.length > 0 && bytes + item.prepared.size > limit)) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(item);
    bytes += item.prepared.size;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

function entryFailure(code: string | undefined, senderFault: boolean): PhisealError {
  const name = code ?? 'Unknown';
  // SQS answers per entry with a code, not an exception object: reported as AWS_REQUEST_FAILED
  // with the code, retryable only when SQS says the sender was not at fault.
  return new PhisealError('AWS_REQUEST_FAILED', `SQS SendMessageBatch entry failed (${name}).`, {
    details: { operation: 'SendMessageBatch', awsError: name, senderFault },
    retryable: !senderFault,
  });
}

async function sendOne(ctx: QueueContext, batch: readonly Ready[], result: SendBatchResult): Promise<void> {
  const entries: SendMessageBatchRequestEntry[] = batch.map(({ id, prepared }) => ({ Id: id, ...requestFields(prepared) }));
  const command = new SendMessageBatchCommand({ QueueUrl: ctx.queueUrl, Entries: entries });
  const attempts = trackAttempts(command);
  const push = (item: Ready, error: Error, senderFault: boolean): void => {
    result.failed.push({ id: item.id, code: failureCode(error), senderFault, error });
  };
  const fail = async (item: Ready, error: Error, senderFault: boolean): Promise<void> => {
    push(item, await sendFailure(ctx, item.prepared, error, attempts, 'SendMessageBatch'), senderFault);
  };
  let out: SendMessageBatchCommandOutput;
  try {
    out = await sqsRequest(ctx, 'SendMessageBatch', (sqs) => sqs.send(command));
  } catch (error) {
    const failure = awsRequestFailed('SQS', 'SendMessageBatch', error);
    await Promise.all(batch.map((item) => fail(item, failure, false)));
    return;
  }
  const byId = new Map(batch.map((item) => [item.id, item]));
  for (const ok of out.Successful ?? []) {
    const item = ok.Id === undefined ? undefined : byId.get(ok.Id);
    if (!item || typeof ok.MessageId !== 'string') continue;
    byId.delete(item.id);
    result.successful.push({
      id: item.id,
      messageId: ok.MessageId,
      offloaded: item.prepared.payload !== undefined,
      ...(ok.SequenceNumber === undefined ? {} : { sequenceNumber: ok.SequenceNumber }),
    });
  }
  const failures: Promise<void>[] = [];
  for (const bad of out.Failed ?? []) {
    const item = bad.Id === undefined ? undefined : byId.get(bad.Id);
    if (!item) continue;
    byId.delete(item.id);
    failures.push(fail(item, entryFailure(bad.Code, bad.SenderFault === true), bad.SenderFault === true));
  }
  // An entry SQS reported neither way may or may not be on the queue: its payload is kept.
  for (const item of byId.values()) push(item, outcomeUnknown('SendMessageBatch', new Error('entry not reported'), item.prepared.payload), false);
  await Promise.all(failures);
}

/**
 * Sends entries in as many SendMessageBatch requests as the limits need, in order.
 * @throws PhisealError `INVALID_ARGUMENT` for a malformed call; per-entry failures are reported.
 */
export async function sendBatch(ctx: QueueContext, entries: readonly BatchEntry[]): Promise<SendBatchResult> {
  if (!isList(entries)) throw invalidArgument('sendBatch takes an array of entries.');
  const ids = entryIds(entries);
  await ctx.ready;
  const result: SendBatchResult = { successful: [], failed: [] };
  const settled = await Promise.allSettled(entries.map((entry) => prepareMessage(ctx, entry.body, entry)));
  const ready: Ready[] = [];
  settled.forEach((outcome, index) => {
    const id = ids[index]!;
    if (outcome.status === 'fulfilled') ready.push({ id, prepared: outcome.value });
    else {
      const error = awsRequestFailed('S3', 'PutObject', outcome.reason);
      // A phiseal refusal (PHI, bad input) is the sender's fault; an AWS failure is not.
      const senderFault = PhisealError.is(error) && error.code !== 'AWS_REQUEST_FAILED';
      result.failed.push({ id, code: failureCode(error), senderFault, error });
    }
  });
  for (const batch of packBatches(ready, ctx.batchBytes)) await sendOne(ctx, batch, result);
  auditSqs(ctx.envelope, 'sqs.sendBatch', result.failed.length > 0 ? result.failed[0]!.error : undefined);
  return result;
}
