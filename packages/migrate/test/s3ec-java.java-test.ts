// The official S3 Encryption Client for Java 4.0.1 (test/java-peer, Peer.S3ecRead) reads what
// phiseal writes, in both on-object formats, through the same emulator.
import { createEnvelope, KmsKeyProvider } from '@phiseal/core';
import { encryptedS3 } from '@phiseal/s3';
import { awsClientConfig, createBucket, createKmsKey, kmsClient, s3Client } from '@phiseal/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startJavaPeer, type JavaPeer } from '../../dynamodb/test/support/java-peer.js';

let peer: JavaPeer;
let bucket: string;
let keyArn: string;
beforeAll(async () => {
  peer = await startJavaPeer();
  [bucket, keyArn] = await Promise.all([createBucket(), createKmsKey('s3ec java')]);
});
afterAll(async () => {
  await peer.close();
});

const javaGet = async (key: string, context: Record<string, string>) =>
  Buffer.from(String((await peer.ok({ op: 's3ecGet', endpoint: awsClientConfig().endpoint, keyArn, bucket, key, context }))['body']), 'base64');

describe('the Java S3 Encryption Client 3.5.0 reads phiseal objects', () => {
  for (const format of ['v2', 'v3'] as const) {
    it(`format ${format}`, async () => {
      const envelope = createEnvelope({ keys: new KmsKeyProvider({ keyId: keyArn, client: kmsClient() }) });
      const key = `java/${format}/lab result.json`;
      const body = Buffer.from(`{"glucose":"5.4 mmol/L","format":"${format}"}`);
      const context = { dataset: 'labs' };
      await encryptedS3({ client: s3Client(), envelope, format }).putObject({ Bucket: bucket, Key: key, Body: body, context });
      expect((await javaGet(key, context)).equals(body)).toBe(true);
    });
  }
});
