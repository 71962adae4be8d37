import { DeleteMessageCommand, ReceiveMessageCommand, type Message } from '@aws-sdk/client-sqs';
import { PhisealError } from '@phiseal/core';
import type { ReceivedMessage, ReceiveOptions } from '../types.js';
import { fromSdkAttributes } from './attributes.js';
import { auditSqs } from './audit.js';
import { contextOption } from './context-option.js';
import { awsRequestFailed, failureCode, invalidArgument } from './errors.js';
import { openMessage, withMessageId } from './open-message.js';
import { embedInReceiptHandle } from './payload-pointer.js';
import type { QueueContext } from './queue-context.js';
import { sqsRequest } from './sqs-request.js';

function integerIn(name: string, value: unknown, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw invalidArgument(`${name} must be an integer from ${min} to ${max}.`);
  }
  return value;
}

async function dropMissing(ctx: QueueContext, message: Message, messageId: string): Promise<void> {
  // The payload is gone for good: deleting the message is the caller's explicit choice,
  // and it is reported (callback and audit), so the loss is never silent.
  await sqsRequest(ctx, 'DeleteMessage', (sqs) =>
    sqs.send(new DeleteMessageCommand({ QueueUrl: ctx.queueUrl, ReceiptHandle: message.ReceiptHandle })),
  );
  auditSqs(ctx.envelope, 'sqs.droppedMissingPayload', new PhisealError('PAYLOAD_MISSING', 'payload missing'));
  try {
    ctx.onDropped?.({ messageId, code: 'PAYLOAD_MISSING' });
  } catch {
    // A reporting callback must not turn a handled message into a failed receive.
  }
}

function report(onError: NonNullable<ReceiveOptions['onError']>, error: Error, messageId: string): void {
  const typed = awsRequestFailed('S3', 'GetObject', error);
  try {
    onError({ messageId, code: failureCode(typed), error: typed });
  } catch {
    // A reporting callback must not turn the good messages of the batch into a failed receive.
  }
}

/**
 * ReceiveMessage, then decrypt every message (fetching offloaded payloads in parallel).
 * A message that cannot be opened fails the call with its typed error (`details.messageId`)
 * and the others come back after their visibility timeout — unless `onError` is given: then
 * each bad message is reported and left on the queue, and the good ones are returned.
 * @throws PhisealError `INVALID_ARGUMENT`, the codes of {@link openMessage}, `AWS_REQUEST_FAILED`.
 */
export async function receiveMessages(ctx: QueueContext, options: ReceiveOptions = {}): Promise<ReceivedMessage[]> {
  if (typeof options !== 'object' || options === null) throw invalidArgument('options must be an object.');
  const max = integerIn('maxMessages', options.maxMessages, 1, 10);
  const wait = integerIn('waitSeconds', options.waitSeconds, 0, 20);
  const visibility = integerIn('visibilityTimeout', options.visibilityTimeout, 0, 43_200);
  const context = contextOption(options.context);
  const out = await sqsRequest(ctx, 'ReceiveMessage', (sqs) =>
    sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: ctx.queueUrl,
        MessageAttributeNames: ['All'],
        MessageSystemAttributeNames: ['All'],
        ...(max === undefined ? {} : { MaxNumberOfMessages: max }),
        ...(wait === undefined ? {} : { WaitTimeSeconds: wait }),
        ...(visibility === undefined ? {} : { VisibilityTimeout: visibility }),
      }),
    ),
  );
  const messages = out.Messages ?? [];
  const settled = await Promise.allSettled(
    messages.map((message) =>
      openMessage(
        ctx,
        { messageId: message.MessageId ?? '', body: message.Body ?? '', attributes: fromSdkAttributes(message.MessageAttributes) },
        context,
      ),
    ),
  );
  const received: ReceivedMessage[] = [];
  let failure: Error | undefined;
  for (const [index, outcome] of settled.entries()) {
    const message = messages[index]!;
    const messageId = message.MessageId ?? '';
    const handle = message.ReceiptHandle ?? '';
    if (outcome.status === 'rejected') {
      const missing = PhisealError.is(outcome.reason) && outcome.reason.code === 'PAYLOAD_MISSING';
      if (missing && ctx.missingPayload === 'delete') await dropMissing(ctx, message, messageId);
      else if (options.onError) report(options.onError, withMessageId(outcome.reason, messageId), messageId);
      else failure ??= withMessageId(outcome.reason, messageId);
      continue;
    }
    const opened = outcome.value;
    received.push({
      messageId,
      body: opened.body,
      bytes: opened.bytes,
      receiptHandle: opened.payload ? embedInReceiptHandle(opened.payload, handle) : handle,
      attributes: { ...opened.attributes },
      systemAttributes: { ...(message.Attributes ?? {}) },
      offloaded: opened.offloaded,
      encrypted: opened.encrypted,
    });
  }
  auditSqs(ctx.envelope, 'sqs.receive', failure);
  if (failure !== undefined) throw failure;
  return received;
}
