import type { SQSClient } from '@aws-sdk/client-sqs';
import { awsRequestFailed } from './errors.js';
import { ownRequest } from './middleware-scope.js';

/**
 * Sends one SQS command once the transport rule has been checked, turning SDK failures into
 * `AWS_REQUEST_FAILED` without their messages (they can echo request values). Marked as
 * phiseal's own, so withEncryption's middleware on the same client lets it through.
 * @throws PhisealError `INSECURE_ENDPOINT`, `AWS_REQUEST_FAILED`.
 */
export async function sqsRequest<Output>(
  ctx: { sqs: SQSClient; ready: Promise<void> },
  operation: string,
  call: (sqs: SQSClient) => Promise<Output>,
): Promise<Output> {
  await ctx.ready;
  try {
    return await ownRequest(() => call(ctx.sqs));
  } catch (error) {
    throw awsRequestFailed('SQS', operation, error);
  }
}
