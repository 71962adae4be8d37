// Delete, batch delete and visibility changes on receipt handles that may carry a payload
// location (the extended clients' encoding). A message is deleted before its payload: the
// reverse order could leave a message whose payload is gone.
import {
  ChangeMessageVisibilityCommand,
  DeleteMessageBatchCommand,
  DeleteMessageCommand,
  type DeleteMessageBatchCommandOutput,
} from '@aws-sdk/client-sqs';
import { PhisealError, trackAttempts } from '@phiseal/core';
import type { DeleteBatchResult, PayloadLocation } from '../types.js';
import { auditSqs } from './audit.js';
import { MAX_BATCH_ENTRIES } from './constants.js';
import { awsRequestFailed, failureCode, invalidArgument, outcomeUnknown, withLeftover } from './errors.js';
import { parseReceiptHandle } from './payload-pointer.js';
import { deletePayloadObject } from './payload-store.js';
import type { QueueContext } from './queue-context.js';
import { sqsRequest } from './sqs-request.js';
import { isList } from './is-list.js';

function parseHandle(ctx: QueueContext, handle: unknown): { receiptHandle: string; payload?: PayloadLocation } {
  if (typeof handle !== 'string' || handle.length === 0) throw invalidArgument('A receipt handle must be a non-empty string.');
  const parsed = parseReceiptHandle(handle);
  if (parsed.payload && ctx.allowedBuckets !== undefined && !ctx.allowedBuckets.accepts(parsed.payload.bucket)) {
    throw invalidArgument('The receipt handle names a payload bucket that is not accepted.');
  }
  return parsed;
}

async function removePayload(ctx: QueueContext, payload: PayloadLocation | undefined): Promise<void> {
  if (!payload || !ctx.deletePayloads) return;
  try {
    await deletePayloadObject(ctx, payload);
  } catch (error) {
    auditSqs(ctx.envelope, 'sqs.payloadOrphaned', error);
    const failure = awsRequestFailed('S3', 'DeleteObject', error);
    throw withLeftover(failure, { messageDeleted: true, orphanedPayload: true, payloadBucket: payload.bucket, payloadKey: payload.key });
  }
}

/**
 * Deletes a message, then its payload.
 * @throws PhisealError `INVALID_ARGUMENT`; `AWS_REQUEST_FAILED` (with `details.orphanedPayload`
 * when the message is gone but its payload could not be removed).
 */
export async function deleteMessage(ctx: QueueContext, handle: string): Promise<void> {
  const { receiptHandle, payload } = parseHandle(ctx, handle);
  const command = new DeleteMessageCommand({ QueueUrl: ctx.queueUrl, ReceiptHandle: receiptHandle });
  const attempts = trackAttempts(command);
  await sqsRequest(ctx, 'DeleteMessage', (sqs) => sqs.send(command)).catch((error: unknown) => {
    // The message may be gone and its payload not: a retry with the same handle finishes both.
    throw attempts.ambiguous() ? outcomeUnknown('DeleteMessage', error, payload) : error;
  });
  await removePayload(ctx, payload);
}

/**
 * Deletes messages in batches of 10, then the payloads of those deleted; reports each handle.
 * @throws PhisealError `INVALID_ARGUMENT` for a malformed call.
 */
export async function deleteBatch(ctx: QueueContext, handles: readonly string[]): Promise<DeleteBatchResult> {
  if (!isList(handles)) throw invalidArgument('deleteBatch takes an array of receipt handles.');
  const parsed = handles.map((handle) => ({ handle, ...parseHandle(ctx, handle) }));
  const result: DeleteBatchResult = { successful: [], failed: [] };
  for (let start = 0; start < parsed.length; start += MAX_BATCH_ENTRIES) {
    const chunk = parsed.slice(start, start + MAX_BATCH_ENTRIES);
    const pending = new Map(chunk.map((item, i) => [String(i), item]));
    let out: DeleteMessageBatchCommandOutput;
    try {
      out = await sqsRequest(ctx, 'DeleteMessageBatch', (sqs) =>
        sqs.send(
          new DeleteMessageBatchCommand({
            QueueUrl: ctx.queueUrl,
            Entries: chunk.map((item, i) => ({ Id: String(i), ReceiptHandle: item.receiptHandle })),
          }),
        ),
      );
    } catch (error) {
      const failure = awsRequestFailed('SQS', 'DeleteMessageBatch', error);
      for (const item of chunk) result.failed.push({ receiptHandle: item.handle, code: failureCode(failure), senderFault: false, error: failure });
      continue;
    }
    for (const bad of out.Failed ?? []) {
      const item = bad.Id === undefined ? undefined : pending.get(bad.Id);
      if (!item) continue;
      pending.delete(bad.Id!);
      const error = new PhisealError('AWS_REQUEST_FAILED', `SQS DeleteMessageBatch entry failed (${bad.Code ?? 'Unknown'}).`, {
        details: { operation: 'DeleteMessageBatch', awsError: bad.Code ?? 'Unknown', senderFault: bad.SenderFault === true },
      });
      result.failed.push({ receiptHandle: item.handle, code: error.code, senderFault: bad.SenderFault === true, error });
    }
    const succeeded = new Set((out.Successful ?? []).map((ok) => ok.Id));
    await Promise.all(
      [...pending.entries()].map(async ([id, item]) => {
        if (!succeeded.has(id)) {
          const error = new PhisealError('AWS_REQUEST_FAILED', 'SQS DeleteMessageBatch did not report an entry.');
          result.failed.push({ receiptHandle: item.handle, code: error.code, senderFault: false, error });
          return;
        }
        try {
          await removePayload(ctx, item.payload);
          result.successful.push(item.handle);
        } catch (error) {
          const failure = awsRequestFailed('S3', 'DeleteObject', error);
          result.failed.push({ receiptHandle: item.handle, code: failureCode(failure), senderFault: false, error: failure });
        }
      }),
    );
  }
  return result;
}

/**
 * Changes a message's visibility timeout (0 to 43,200 seconds).
 * @throws PhisealError `INVALID_ARGUMENT`, `AWS_REQUEST_FAILED`.
 */
export async function changeVisibility(ctx: QueueContext, handle: string, seconds: number): Promise<void> {
  const { receiptHandle } = parseHandle(ctx, handle);
  if (typeof seconds !== 'number' || !Number.isInteger(seconds) || seconds < 0 || seconds > 43_200) {
    throw invalidArgument('seconds must be an integer from 0 to 43,200.');
  }
  await sqsRequest(ctx, 'ChangeMessageVisibility', (sqs) =>
    sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: ctx.queueUrl, ReceiptHandle: receiptHandle, VisibilityTimeout: seconds })),
  );
}
