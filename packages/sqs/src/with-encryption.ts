import type { SQSClient } from '@aws-sdk/client-sqs';
import { PhisealError } from '@phiseal/core';
import { encryptedQueue } from './encrypted-queue.js';
import {
  asSdkMessage,
  deleteBatchCommand,
  onlyFields,
  PASS_THROUGH,
  refusedCommand,
  sendBatchCommand,
  sendOptions,
  visibilityBatchInput,
} from './internal/middleware-commands.js';
import { isOwnRequest } from './internal/middleware-scope.js';
import { queueMatcher } from './queue-reference.js';
import type { EncryptedQueue, EncryptedQueueConfig } from './types.js';

/**
 * How one queue is encrypted by {@link withEncryption}: the options of {@link encryptedQueue}
 * without `sqs` and `queueUrl` (the request names the queue), and the encryption context of
 * every message.
 * @example
 * ```ts
 * const config: QueueEncryption = { envelope, s3: new S3Client({}), payloadBucket: 'lab-payloads' };
 * ```
 */
export type QueueEncryption = Omit<EncryptedQueueConfig, 'sqs' | 'queueUrl'> & {
  /** Encryption context of every message (never PHI). Default none. */
  context?: Record<string, string> | undefined;
};

/**
 * Options of {@link withEncryption}.
 * @example
 * ```ts
 * const options: SqsEncryptionOptions = { queues: { 'arn:aws:sqs:us-east-1:111122223333:lab': config } };
 * ```
 */
export type SqsEncryptionOptions = {
  /** Encrypted queues keyed by queue URL or ARN (requests may use either form). */
  readonly queues: Readonly<Record<string, QueueEncryption>>;
};

type Input = Record<string, unknown>;
type Handler = (args: { input: object }) => Promise<{ output: unknown }>;

async function run(command: string, input: Input, queue: EncryptedQueue, context: Record<string, string> | undefined): Promise<object> {
  const withContext = context === undefined ? {} : { context };
  switch (command) {
    case 'SendMessageCommand': {
      const out = await queue.send(input['MessageBody'] as string, { ...sendOptions(command, input), ...withContext });
      return { MessageId: out.messageId, ...(out.sequenceNumber === undefined ? {} : { SequenceNumber: out.sequenceNumber }), $metadata: {} };
    }
    case 'SendMessageBatchCommand':
      return sendBatchCommand(queue, input, context);
    case 'ReceiveMessageCommand': {
      // Attribute name filters are accepted; the decrypted message carries every attribute.
      onlyFields(command, input, ['QueueUrl', 'MaxNumberOfMessages', 'WaitTimeSeconds', 'VisibilityTimeout', 'MessageAttributeNames', 'AttributeNames', 'MessageSystemAttributeNames']);
      const messages = await queue.receive({
        ...(input['MaxNumberOfMessages'] === undefined ? {} : { maxMessages: input['MaxNumberOfMessages'] as number }),
        ...(input['WaitTimeSeconds'] === undefined ? {} : { waitSeconds: input['WaitTimeSeconds'] as number }),
        ...(input['VisibilityTimeout'] === undefined ? {} : { visibilityTimeout: input['VisibilityTimeout'] as number }),
        ...withContext,
      });
      return { Messages: messages.map(asSdkMessage), $metadata: {} };
    }
    case 'DeleteMessageCommand':
      onlyFields(command, input, ['QueueUrl', 'ReceiptHandle']);
      await queue.delete(input['ReceiptHandle'] as string);
      return { $metadata: {} };
    case 'DeleteMessageBatchCommand':
      return deleteBatchCommand(queue, input);
    case 'ChangeMessageVisibilityCommand':
      onlyFields(command, input, ['QueueUrl', 'ReceiptHandle', 'VisibilityTimeout']);
      await queue.changeVisibility(input['ReceiptHandle'] as string, input['VisibilityTimeout'] as number);
      return { $metadata: {} };
    default:
      throw refusedCommand(command);
  }
}

/**
 * Makes an existing `SQSClient` encrypt the messages of the configured queues, keeping your
 * code: `SendMessageCommand` and `SendMessageBatchCommand` send what {@link encryptedQueue}
 * sends (encrypted bodies, large ones offloaded to S3 in the SQS Extended Client format),
 * `ReceiveMessageCommand` returns decrypted bodies and attributes, and `DeleteMessageCommand`,
 * `DeleteMessageBatchCommand`, `ChangeMessageVisibilityCommand` and
 * `ChangeMessageVisibilityBatchCommand` take the receipt handles it returned (deleting a message
 * deletes its offloaded payload; batch answers are per entry id, as the SDK's). Queues are matched by URL or ARN. Commands that touch no message
 * content pass through; any other command or request field on an encrypted queue is refused
 * with `UNSUPPORTED_OPERATION` before anything is sent.
 *
 * @throws {@link PhisealError} `INVALID_CONFIGURATION`; requests then throw as
 * {@link encryptedQueue}'s methods or `UNSUPPORTED_OPERATION`.
 * @example
 * ```ts
 * const sqs = withEncryption(new SQSClient({}), { queues: { [queueUrl]: { envelope, s3, payloadBucket: 'lab-payloads' } } });
 * await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'glucose 5.4 mmol/L' }));
 * ```
 */
export function withEncryption<C extends SQSClient>(client: C, options: SqsEncryptionOptions): C {
  const queues = options?.queues;
  if (typeof queues !== 'object' || queues === null) throw new PhisealError('INVALID_CONFIGURATION', 'withEncryption needs { queues }.');
  const matcher = queueMatcher(Object.keys(queues));
  // One explicit queue per configured key and request URL (the request names the queue).
  const made = new Map<string, EncryptedQueue>();
  const queueFor = (key: string, url: string): EncryptedQueue => {
    const id = `${key}\n${url}`;
    let queue = made.get(id);
    if (queue === undefined) {
      const { context: _context, ...config } = queues[key]!;
      queue = encryptedQueue({ ...config, sqs: client, queueUrl: url });
      made.set(id, queue);
    }
    return queue;
  };
  const middleware = (next: Handler, context: { commandName?: string }): Handler => async (args) => {
    // The explicit API's own SQS calls on the caller's client (and only those) pass through.
    if (isOwnRequest()) return next(args);
    const command = context.commandName ?? '';
    const input = args.input as Input;
    const key = matcher.find(input['QueueUrl']);
    if (key === undefined || PASS_THROUGH.has(command)) return next(args);
    if (command === 'ChangeMessageVisibilityBatchCommand') return next({ ...args, input: visibilityBatchInput(input) });
    const queue = queueFor(key, input['QueueUrl'] as string);
    const output = await run(command, input, queue, queues[key]!.context);
    return { output };
  };
  client.middlewareStack.add(middleware as never, { step: 'initialize', name: 'phisealSqsEncryption', override: true });
  return client;
}
