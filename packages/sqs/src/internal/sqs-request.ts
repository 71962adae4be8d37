import type { SQSClient } from '@aws-sdk/client-sqs';
import { awsRequestFailed } from './errors.js';

/**
 * Sends one SQS command once the transport rule has been checked, turning SDK failures into
 * `AWS_REQUEST_FAILED` without their messages (they can echo request values).
 * @throws PhisealError `INSECURE_ENDPOINT`, `AWS_REQUEST_FAILED`.
 */
export async function sqsRequest<Output>(
  ctx: { sqs: SQSClient; ready: Promise<void> },
  operation: string,
  call: (sqs: SQSClient) => Promise<Output>,
): Promise<Output> {
  await ctx.ready;
  try {
    return await call(ctx.sqs);
  } catch (error) {
    throw awsRequestFailed('SQS', operation, error);
  }
}
