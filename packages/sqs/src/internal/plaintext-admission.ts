import { admitPlaintext } from '@phiseal/core';
import type { OpenContext } from './queue-context.js';

// The switch-over stages (plaintextPolicy) on received messages. Only a message with none of
// phiseal's markers (message-state.ts) or an offloaded one whose payload has no S3EC
// metadata and no instruction file reaches here; the stage decides, and every such read is
// audited (`sqs.plaintextRead`: the queue by context digest, the stage, no value).

/**
 * Admits a plaintext body or payload under a reading stage.
 * @throws PhisealError PLAINTEXT_REFUSED under 'encrypted-only' (details: kind 'sqs.message' or 'sqs.payload').
 * @example
 * ```ts
 * admitPlainMessage(ctx, 'body', queueUrl);
 * ```
 */
export function admitPlainMessage(ctx: OpenContext, where: 'body' | 'payload', queue: string | undefined): void {
  admitPlaintext(ctx.envelope, {
    stage: ctx.plaintextPolicy,
    kind: where === 'body' ? 'sqs.message' : 'sqs.payload',
    operation: 'sqs.plaintextRead',
    context: { 'phiseal:sqs-queue': queue ?? 'unknown' },
  });
}
