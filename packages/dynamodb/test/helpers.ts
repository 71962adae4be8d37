import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createEnvelope, KmsKeyProvider, PhisealError, type Envelope } from '@phiseal/core';
import { awsClientConfig, createKmsKey, kmsClient } from '@phiseal/test-support';

// Integration-test helpers: KMS-backed envelopes and fresh clients against the emulator.

/** A KMS-backed envelope; `guard: false` for property tests whose random attribute names could look like PHI. */
export async function kmsEnvelope(options: { guard?: false } = {}): Promise<Envelope> {
  const keyId = await createKmsKey('phiseal dynamodb test');
  return createEnvelope({ keys: new KmsKeyProvider({ keyId, client: kmsClient() }), ...options });
}

export function docClient(): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(new DynamoDBClient(awsClientConfig()), { marshallOptions: { removeUndefinedValues: true } });
}

/** A client with no phiseal middleware, to look at what is really stored. */
export function rawClient(): DynamoDBClient {
  return new DynamoDBClient(awsClientConfig());
}

export async function codeOf(p: Promise<unknown> | (() => unknown)): Promise<string | undefined> {
  try {
    await (typeof p === 'function' ? p() : p);
    return undefined;
  } catch (error) {
    return PhisealError.is(error) ? error.code : `not-a-phiseal-error: ${String(error)}`;
  }
}
