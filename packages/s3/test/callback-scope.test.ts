// Second outside review (docs/threat-model.md): withEncryption lets the explicit API's own requests through its
// middleware by an async-local flag. Set around a whole PutObject/GetObject, it was inherited by
// the callbacks phiseal called meanwhile (the envelope's audit sink, a guard's onFinding): a
// PutObject such a callback made on the same client to an encrypted bucket was stored in
// plaintext. Only phiseal's own S3 calls carry the flag now.
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { createEnvelope, KmsKeyProvider, type AuditEvent } from '@phiseal/core';
import { withEncryption } from '@phiseal/s3';
import { kmsClient, s3Client } from '@phiseal/test-support';
import { beforeAll, expect, it } from 'vitest';
import { fixture, type Fixture } from './setup.js';

let f: Fixture;
beforeAll(async () => {
  f = await fixture();
});

it('a PutObject made by the audit sink of a write on the same client is encrypted like any other', async () => {
  const written: Promise<unknown>[] = [];
  const client: { s3?: S3Client } = {};
  const audit = (event: AuditEvent): void => {
    // An audit trail kept in an encrypted bucket, written through the application's client.
    if (event.operation === 's3.putObject' && written.length === 0) {
      written.push(client.s3!.send(new PutObjectCommand({ Bucket: f.bucket, Key: 'audit/read-1', Body: 'write of MRN 448812' })));
    }
  };
  const envelope = createEnvelope({ keys: new KmsKeyProvider({ keyId: f.keyArn, client: kmsClient() }), audit });
  const s3 = withEncryption(s3Client(), { buckets: { [f.bucket]: { envelope } } });
  client.s3 = s3;
  await s3.send(new PutObjectCommand({ Bucket: f.bucket, Key: 'scope/chart', Body: 'chart' }));
  const out = await s3.send(new GetObjectCommand({ Bucket: f.bucket, Key: 'scope/chart' }));
  expect(await out.Body!.transformToString()).toBe('chart');
  expect(written).toHaveLength(1);
  await Promise.all(written);
  const raw = await s3Client().send(new GetObjectCommand({ Bucket: f.bucket, Key: 'audit/read-1' }));
  expect(await raw.Body!.transformToString()).not.toContain('448812');
  const read = await s3.send(new GetObjectCommand({ Bucket: f.bucket, Key: 'audit/read-1' }));
  expect(await read.Body!.transformToString()).toBe('write of MRN 448812');
});
