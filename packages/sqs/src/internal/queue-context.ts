import type { S3Client } from '@aws-sdk/client-s3';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { Envelope, SwitchOverStage } from '@phiseal/core';
import type { EncryptedS3 } from '@phiseal/s3';
import type { DroppedMessage } from '../types.js';
import type { SealedNames } from './sealed-binding.js';
import type { AllowedBuckets } from './allowed-buckets.js';
import type { BodyFormat } from './inline-format.js';

/** How received messages are opened; shared by the queue and by `decryptRecord`. */
export type OpenContext = {
  envelope: Envelope;
  payloads: EncryptedS3;
  s3: S3Client;
  /** Buckets whose pointers are followed; `undefined` means any. */
  allowedBuckets: AllowedBuckets | undefined;
  /** The switch-over stage (plaintextPolicy, or acceptUnencrypted: true = 'write-encrypted'). */
  plaintextPolicy: SwitchOverStage;
  /** Attribute names that must never arrive visible on an encrypted message. */
  sealedNames: SealedNames;
  /** Resolves once both clients' endpoints were checked (transport rule). */
  ready: Promise<void>;
};

/** Everything an encrypted queue's operations need, validated once. */
export type QueueContext = OpenContext & {
  sqs: SQSClient;
  queueUrl: string;
  fifo: boolean;
  payloadBucket: string;
  payloadKeyPrefix: string;
  thresholdBytes: number;
  /** SendMessageBatch total size limit. */
  batchBytes: number;
  alwaysThroughS3: boolean;
  /** What inline bodies are written as (received bodies are read in either format). */
  bodyFormat: BodyFormat;
  sealed: SealedNames;
  deduplicationKey: Uint8Array | undefined;
  missingPayload: 'throw' | 'delete';
  onDropped: ((report: DroppedMessage) => void) | undefined;
  deletePayloads: boolean;
  legacyAttribute: boolean;
};
