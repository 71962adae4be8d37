// Child process of crash-upload.test.ts: uploads its stdin to s3://$BUCKET/$KEY through
// @phiseal/s3 (5 MiB parts) against the emulator at $AWS_ENDPOINT_URL, until it is killed.
import { randomBytes } from 'node:crypto';
import { S3Client } from '@aws-sdk/client-s3';
import { createEnvelope, LocalKeyProvider } from '@phiseal/core';
import { encryptedS3 } from '@phiseal/s3';

const client = new S3Client({
  endpoint: process.env['AWS_ENDPOINT_URL'] ?? '',
  region: 'us-east-1',
  forcePathStyle: true,
  credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
});
const envelope = createEnvelope({ keys: new LocalKeyProvider({ keyId: 'crash-test', key: randomBytes(32) }) });
const s3 = encryptedS3({ client, envelope, partSize: 5 * 1024 * 1024, queueSize: 1 });
await s3.upload({ Bucket: process.env['BUCKET'] ?? '', Key: process.env['KEY'] ?? '', Body: process.stdin });
