import { SendMessageCommand, type SendMessageRequest } from '@aws-sdk/client-sqs';
import { PhisealError, trackAttempts, type AttemptLog } from '@phiseal/core';
import type { MessageBody, SendOptions, SendResult } from '../types.js';
import { auditSqs } from './audit.js';
import { awsRequestFailed, outcomeUnknown, withLeftover } from './errors.js';
import { deletePayloadObject } from './payload-store.js';
import { prepareMessage, type PreparedMessage } from './prepare-message.js';
import type { QueueContext } from './queue-context.js';
import { sqsRequest } from './sqs-request.js';

/** The SendMessage fields of a prepared message (shared with SendMessageBatch entries). */
export function requestFields(prepared: PreparedMessage): Omit<SendMessageRequest, 'QueueUrl'> {
  return {
    MessageBody: prepared.body,
    ...(Object.keys(prepared.attributes).length > 0 ? { MessageAttributes: { ...prepared.attributes } } : {}),
    ...(prepared.groupId === undefined ? {} : { MessageGroupId: prepared.groupId }),
    ...(prepared.deduplicationId === undefined ? {} : { MessageDeduplicationId: prepared.deduplicationId }),
    ...(prepared.delaySeconds === undefined ? {} : { DelaySeconds: prepared.delaySeconds }),
    // A system attribute: SQS does not count it towards the message size (so neither does `size`).
    ...(prepared.traceHeader === undefined
      ? {}
      : { MessageSystemAttributes: { AWSTraceHeader: { DataType: 'String', StringValue: prepared.traceHeader } } }),
  };
}

/**
 * After a send failed: deletes the payload written for it, so nothing is orphaned, and
 * returns the error to throw. If even the delete fails, the error says so
 * (`details.orphanedPayload`, with the random, PHI-free key) and an audit event records it.
 */
export async function discardPayload(ctx: QueueContext, prepared: PreparedMessage, error: unknown): Promise<Error> {
  const failure = awsRequestFailed('SQS', 'SendMessage', error);
  if (prepared.payload === undefined) return failure;
  try {
    await deletePayloadObject(ctx, prepared.payload);
    return failure;
  } catch (cleanup) {
    auditSqs(ctx.envelope, 'sqs.payloadOrphaned', cleanup);
    return withLeftover(failure, { orphanedPayload: true, payloadBucket: prepared.payload.bucket, payloadKey: prepared.payload.key });
  }
}

/**
 * The error of a failed send, and what happens to its payload: deleted only when no attempt
 * can have stored the message; otherwise kept and the outcome reported as unknown.
 */
export async function sendFailure(ctx: QueueContext, prepared: PreparedMessage, error: unknown, attempts: AttemptLog, operation: string): Promise<Error> {
  if (!attempts.ambiguous()) return discardPayload(ctx, prepared, error);
  const unknown = outcomeUnknown(operation, error, prepared.payload);
  auditSqs(ctx.envelope, 'sqs.sendOutcomeUnknown', unknown);
  return unknown;
}

/**
 * Encrypts, offloads when needed, and sends one message. A send SQS refused deletes its
 * payload; a send whose answer was lost keeps it and says `details.outcome: 'unknown'`.
 * @throws PhisealError as {@link prepareMessage}, plus `AWS_REQUEST_FAILED`.
 */
export async function sendMessage(ctx: QueueContext, body: MessageBody, options?: SendOptions): Promise<SendResult> {
  await ctx.ready;
  const prepared = await prepareMessage(ctx, body, options);
  const command = new SendMessageCommand({ QueueUrl: ctx.queueUrl, ...requestFields(prepared) });
  const attempts = trackAttempts(command);
  try {
    const out = await sqsRequest(ctx, 'SendMessage', (sqs) => sqs.send(command));
    // An answer without an id: SQS took the request, so the message may well exist.
    if (typeof out.MessageId !== 'string') throw outcomeUnknown('SendMessage', new Error('no MessageId'), prepared.payload);
    auditSqs(ctx.envelope, prepared.payload ? 'sqs.sendOffloaded' : 'sqs.send');
    return {
      messageId: out.MessageId,
      offloaded: prepared.payload !== undefined,
      ...(out.SequenceNumber === undefined ? {} : { sequenceNumber: out.SequenceNumber }),
    };
  } catch (error) {
    if (PhisealError.is(error) && error.details['outcome'] === 'unknown') throw error;
    throw await sendFailure(ctx, prepared, error, attempts, 'SendMessage');
  }
}
