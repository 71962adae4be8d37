import { SendMessageCommand, type SendMessageRequest } from '@aws-sdk/client-sqs';
import { PhisealError } from '@phiseal/core';
import type { MessageBody, SendOptions, SendResult } from '../types.js';
import { auditSqs } from './audit.js';
import { awsRequestFailed } from './errors.js';
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
  };
}

/**
 * After a send failed: deletes the payload written for it, so nothing is orphaned, and
 * returns the error to throw. If even the delete fails, the error says so
 * (`details.orphanedPayload`, with the random, PHI-free key) and an audit event records it.
 */
export async function discardPayload(ctx: QueueContext, prepared: PreparedMessage, error: unknown): Promise<PhisealError> {
  const failure = PhisealError.is(error) ? error : awsRequestFailed('SQS', 'SendMessage', error);
  if (prepared.payload === undefined) return failure;
  try {
    await deletePayloadObject(ctx, prepared.payload);
    return failure;
  } catch (cleanup) {
    auditSqs(ctx.envelope, 'sqs.payloadOrphaned', cleanup);
    return new PhisealError(failure.code, failure.message, {
      cause: failure.cause ?? cleanup,
      details: { ...failure.details, orphanedPayload: true, payloadBucket: prepared.payload.bucket, payloadKey: prepared.payload.key },
    });
  }
}

/**
 * Encrypts, offloads when needed, and sends one message; a failed send deletes its payload.
 * @throws PhisealError as {@link prepareMessage}, plus `AWS_REQUEST_FAILED`.
 */
export async function sendMessage(ctx: QueueContext, body: MessageBody, options?: SendOptions): Promise<SendResult> {
  await ctx.ready;
  const prepared = await prepareMessage(ctx, body, options);
  try {
    const out = await sqsRequest(ctx, 'SendMessage', (sqs) =>
      sqs.send(new SendMessageCommand({ QueueUrl: ctx.queueUrl, ...requestFields(prepared) })),
    );
    if (typeof out.MessageId !== 'string') throw new PhisealError('AWS_REQUEST_FAILED', 'SQS SendMessage returned no MessageId.');
    auditSqs(ctx.envelope, prepared.payload ? 'sqs.sendOffloaded' : 'sqs.send');
    return {
      messageId: out.MessageId,
      offloaded: prepared.payload !== undefined,
      ...(out.SequenceNumber === undefined ? {} : { sequenceNumber: out.SequenceNumber }),
    };
  } catch (error) {
    throw await discardPayload(ctx, prepared, error);
  }
}
