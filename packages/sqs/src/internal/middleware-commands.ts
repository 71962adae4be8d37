import type { Message, SendMessageBatchResultEntry } from '@aws-sdk/client-sqs';
import { PhisealError } from '@phiseal/core';
import type { BatchEntry, EncryptedQueue, MessageAttribute, ReceivedMessage, SendOptions } from '../types.js';
import { parseReceiptHandle } from './payload-pointer.js';

type Input = Record<string, unknown>;

/** Commands on an encrypted queue that touch no message content: passed through as they are. */
export const PASS_THROUGH: ReadonlySet<string> = new Set([
  'GetQueueAttributesCommand',
  'GetQueueUrlCommand',
  'ListQueueTagsCommand',
  'ListDeadLetterSourceQueuesCommand',
  'PurgeQueueCommand',
]);

const strip = (command: string): string => command.replace(/Command$/, '');

/** A command phiseal cannot make safe on an encrypted queue, refused with a remedy. */
export function refusedCommand(command: string): PhisealError {
  return new PhisealError(
    'UNSUPPORTED_OPERATION',
    `${strip(command)} is refused on an encrypted queue: phiseal cannot tell whether it moves message content or clear-text surfaces. Use a client without withEncryption for queue administration, or the explicit encryptedQueue() API.`,
    { details: { command: strip(command) } },
  );
}

// What to do instead, for the fields users do send.
const FIELD_REMEDIES: Readonly<Record<string, string>> = {
  MessageSystemAttributes: 'Only AWSTraceHeader (DataType String) is a message system attribute SQS accepts; send that one alone.',
  ReceiveRequestAttemptId: 'phiseal decrypts what one ReceiveMessage returns and does not replay a receive by attempt id: leave it out (a retried receive returns other messages once their visibility times out).',
};

/** A request field phiseal does not carry: refused, never dropped. */
export function refusedField(command: string, field: string): PhisealError {
  const remedy = FIELD_REMEDIES[field] ?? 'It would be dropped or break the encryption.';
  return new PhisealError('UNSUPPORTED_OPERATION', `${strip(command)} field ${field} is not supported on an encrypted queue; the request is refused. ${remedy}`, {
    details: { command: strip(command), field },
  });
}

export function onlyFields(command: string, input: Input, allowed: readonly string[]): void {
  for (const [field, value] of Object.entries(input)) {
    if (value !== undefined && !allowed.includes(field)) throw refusedField(command, field);
  }
}

const SEND_FIELDS = ['MessageBody', 'MessageAttributes', 'MessageSystemAttributes', 'DelaySeconds', 'MessageGroupId', 'MessageDeduplicationId'];

/** The one system attribute SQS takes on a send (AWSTraceHeader), as the explicit `traceHeader`. */
function traceHeader(command: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  const entries = typeof value === 'object' && value !== null ? Object.entries(value) : [];
  const [only] = entries;
  if (entries.length !== 1 || only === undefined || only[0] !== 'AWSTraceHeader') throw refusedField(command, 'MessageSystemAttributes');
  const attribute = only[1] as { DataType?: unknown; StringValue?: unknown } | undefined;
  if (attribute?.DataType !== 'String' || typeof attribute.StringValue !== 'string') throw refusedField(command, 'MessageSystemAttributes');
  return attribute.StringValue;
}

/** SendMessage fields as the explicit API's options. */
export function sendOptions(command: string, input: Input): SendOptions {
  onlyFields(command, input, ['QueueUrl', 'Id', ...SEND_FIELDS]);
  const options: SendOptions = {};
  if (input['MessageAttributes'] !== undefined) options.attributes = input['MessageAttributes'] as Record<string, MessageAttribute>;
  if (input['MessageGroupId'] !== undefined) options.groupId = input['MessageGroupId'] as string;
  if (input['MessageDeduplicationId'] !== undefined) options.deduplicationId = input['MessageDeduplicationId'] as string;
  if (input['DelaySeconds'] !== undefined) options.delaySeconds = input['DelaySeconds'] as number;
  const trace = traceHeader(command, input['MessageSystemAttributes']);
  if (trace !== undefined) options.traceHeader = trace;
  return options;
}

/** The explicit batch result in SendMessageBatch's output shape. */
export async function sendBatchCommand(queue: EncryptedQueue, input: Input, context: SendOptions['context']): Promise<object> {
  onlyFields('SendMessageBatchCommand', input, ['QueueUrl', 'Entries']);
  const entries = input['Entries'] ?? [];
  // Checked before anything is read from an entry: a JavaScript caller's non-list must be a typed refusal, not a TypeError.
  if (!Array.isArray(entries) || entries.some((entry: unknown) => typeof entry !== 'object' || entry === null || Array.isArray(entry))) {
    throw new PhisealError('INVALID_ARGUMENT', 'SendMessageBatch Entries must be a list of entry objects.', { details: { command: 'SendMessageBatch' } });
  }
  const batch: BatchEntry[] = (entries as Input[]).map((entry) => ({
    ...sendOptions('SendMessageBatchCommand', entry),
    id: entry['Id'] as string,
    body: entry['MessageBody'] as string,
    ...(context === undefined ? {} : { context }),
  }));
  const result = await queue.sendBatch(batch);
  // No MD5OfMessageBody: the stored body is ciphertext, not the MessageBody the caller gave.
  const Successful: Omit<SendMessageBatchResultEntry, 'MD5OfMessageBody'>[] = result.successful.map((ok) => ({
    Id: ok.id,
    MessageId: ok.messageId,
    ...(ok.sequenceNumber === undefined ? {} : { SequenceNumber: ok.sequenceNumber }),
  }));
  const Failed = result.failed.map((bad) => ({ Id: bad.id, Code: bad.code, SenderFault: bad.senderFault, Message: bad.code }));
  return { Successful, Failed, $metadata: {} };
}

/** A decrypted message in ReceiveMessage's output shape (the receipt handle carries the payload pointer). */
export function asSdkMessage(message: ReceivedMessage): Message {
  return {
    MessageId: message.messageId,
    ReceiptHandle: message.receiptHandle,
    Body: message.body,
    ...(Object.keys(message.attributes).length === 0 ? {} : { MessageAttributes: message.attributes }),
    ...(Object.keys(message.systemAttributes).length === 0 ? {} : { Attributes: message.systemAttributes }),
  };
}

type BatchRequestEntry = { Id: string; ReceiptHandle: string } & Input;

/**
 * The entries of a DeleteMessageBatch or ChangeMessageVisibilityBatch request, checked as SQS
 * checks them (1 to 10 entries, distinct ids) so that a bad request fails before anything is
 * deleted or changed.
 */
export function batchEntries(command: string, input: Input, fields: readonly string[]): BatchRequestEntry[] {
  onlyFields(command, input, ['QueueUrl', 'Entries']);
  const entries = input['Entries'];
  if (!Array.isArray(entries) || entries.length === 0 || entries.length > 10) {
    throw new PhisealError('INVALID_ARGUMENT', `${strip(command)} takes 1 to 10 entries.`, { details: { command: strip(command) } });
  }
  const ids = new Set<string>();
  return entries.map((entry: unknown) => {
    if (typeof entry !== 'object' || entry === null) throw new PhisealError('INVALID_ARGUMENT', 'Every batch entry must be an object.');
    const e = entry as Input;
    onlyFields(command, e, fields);
    if (typeof e['Id'] !== 'string' || ids.has(e['Id'])) throw new PhisealError('INVALID_ARGUMENT', `${strip(command)} entry ids must be distinct strings.`);
    if (typeof e['ReceiptHandle'] !== 'string') throw new PhisealError('INVALID_ARGUMENT', 'A receipt handle must be a non-empty string.');
    ids.add(e['Id']);
    return e as BatchRequestEntry;
  });
}

/**
 * DeleteMessageBatch through the explicit `deleteBatch` (each deleted message's offloaded
 * payload is deleted too), answered in the SDK's shape by entry id. A message that is gone but
 * whose payload could not be removed is a failed entry (`AWS_REQUEST_FAILED`): deleting it
 * again with the same handle finishes the job.
 */
export async function deleteBatchCommand(queue: EncryptedQueue, input: Input): Promise<object> {
  const entries = batchEntries('DeleteMessageBatchCommand', input, ['Id', 'ReceiptHandle']);
  const result = await queue.deleteBatch(entries.map((entry) => entry.ReceiptHandle));
  // Outcomes come back per handle; hand them to the entries in order (a handle may repeat).
  const ids = new Map<string, string[]>();
  for (const entry of entries) ids.set(entry.ReceiptHandle, [...(ids.get(entry.ReceiptHandle) ?? []), entry.Id]);
  const take = (handle: string): string => ids.get(handle)?.shift() ?? '';
  const Successful = result.successful.map((handle) => ({ Id: take(handle) }));
  const Failed = result.failed.map((bad) => ({ Id: take(bad.receiptHandle), Code: bad.code, SenderFault: bad.senderFault, Message: bad.code }));
  return { Successful, Failed, $metadata: {} };
}

/**
 * ChangeMessageVisibilityBatch with the receipt handles `ReceiveMessageCommand` returned: an
 * offloaded message's handle carries its payload location, which SQS does not know, so each is
 * cut back to the SQS handle; the request then goes to SQS as it is and its answer (per-entry
 * `Successful`/`Failed`, service errors) comes back unchanged.
 */
export function visibilityBatchInput(input: Input): Input {
  const entries = batchEntries('ChangeMessageVisibilityBatchCommand', input, ['Id', 'ReceiptHandle', 'VisibilityTimeout']);
  return { ...input, Entries: entries.map((entry) => ({ ...entry, ReceiptHandle: parseReceiptHandle(entry.ReceiptHandle).receiptHandle })) };
}
