import type { S3Client } from '@aws-sdk/client-s3';
import type { Envelope, SwitchOverStage } from '@phiseal/core';
import type { CommitmentPolicy, S3Format } from '../types.js';

/** The resolved settings every operation shares. */
export type S3Context = {
  client: S3Client;
  envelope: Envelope;
  format: S3Format;
  commitmentPolicy: CommitmentPolicy;
  bufferLimitBytes: number;
  delayedAuthentication: boolean;
  instructionFile: boolean;
  partSize: number;
  queueSize: number;
  unauthenticatedRangedReads: boolean;
  /** The switch-over stage (plaintextPolicy, alias resolved). */
  plaintextPolicy: SwitchOverStage;
};
