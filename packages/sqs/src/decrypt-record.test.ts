// decryptRecord on inline messages needs no AWS call: these tests run on a local key.
import { readFileSync } from 'node:fs';
import { S3Client } from '@aws-sdk/client-s3';
import { createEnvelope, LocalKeyProvider } from '@phiseal/core';
import { describe, expect, it } from 'vitest';
import { decryptRecord } from './decrypt-record.js';

const kat = JSON.parse(readFileSync(new URL('../test/vectors/inline-message.json', import.meta.url), 'utf8')) as {
  keyId: string;
  keyHex: string;
  record: { messageId: string; body: string; messageAttributes: Record<string, { dataType: string; stringValue: string }> };
  expected: { body: string; attributes: Record<string, unknown>; context: Record<string, string> };
};
const envelope = createEnvelope({ keys: new LocalKeyProvider({ keyId: kat.keyId, key: Buffer.from(kat.keyHex, 'hex') }) });
const s3 = new S3Client({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });

async function rejection(promise: Promise<unknown>): Promise<{ code?: string; details?: Record<string, unknown> }> {
  try {
    await promise;
  } catch (error) {
    return error as { code?: string; details?: Record<string, unknown> };
  }
  throw new Error('expected a rejection');
}

describe('inline message known-answer vector', () => {
  it('a committed Lambda record decrypts to the committed body and attributes', async () => {
    const out = await decryptRecord(kat.record, { envelope, s3 });
    expect(out.body).toBe(kat.expected.body);
    expect(out.attributes).toEqual(kat.expected.attributes);
    expect(out.offloaded).toBe(false);
    expect(out.encrypted).toBe(true);
  });

  it('refuses a context that is not an object of strings', async () => {
    expect((await rejection(decryptRecord(kat.record, { envelope, s3, context: 'tenant-a' as never }))).code).toBe('INVALID_ARGUMENT');
  });

  it('the same message as an SDK Message (sqs-consumer)', async () => {
    const out = await decryptRecord(
      { MessageId: 'kat-1', Body: kat.record.body, MessageAttributes: { kind: { DataType: 'String', StringValue: 'lab' } } },
      { envelope, s3 },
    );
    expect(out.body).toBe(kat.expected.body);
  });

  it('checks a required context pair', async () => {
    await expect(decryptRecord(kat.record, { envelope, s3, context: kat.expected.context })).resolves.toBeTruthy();
    const error = await rejection(decryptRecord(kat.record, { envelope, s3, context: { tenant: 'clinic-b' } }));
    expect(error.code).toBe('CONTEXT_MISMATCH');
    expect(error.details?.['messageId']).toBe('kat-1');
  });

  it('the wrong key cannot read it', async () => {
    const other = createEnvelope({ keys: new LocalKeyProvider({ keyId: kat.keyId, key: new Uint8Array(32).fill(0x22) }) });
    expect(['DECRYPTION_FAILED', 'MALFORMED_CIPHERTEXT']).toContain((await rejection(decryptRecord(kat.record, { envelope: other, s3 }))).code);
  });
});

describe('unencrypted bodies', () => {
  const plain = { messageId: 'p-1', body: 'hello from a plain producer' };
  it('are refused by default (plaintextPolicy encrypted-only)', async () => {
    const error = await rejection(decryptRecord(plain, { envelope, s3 }));
    expect(error.code).toBe('PLAINTEXT_REFUSED');
    expect(error.details?.['kind']).toBe('sqs.message');
  });
  it('are returned, marked, under a reading plaintextPolicy (or the older acceptUnencrypted)', async () => {
    for (const options of [{ plaintextPolicy: 'read-both' as const }, { plaintextPolicy: 'write-plaintext' as const }, { acceptUnencrypted: true }]) {
      const out = await decryptRecord(plain, { envelope, s3, ...options });
      expect(out).toMatchObject({ body: plain.body, encrypted: false, offloaded: false });
    }
    expect((await rejection(decryptRecord(plain, { envelope, s3, acceptUnencrypted: true, plaintextPolicy: 'encrypted-only' }))).code).toBe('INVALID_CONFIGURATION');
  });
  it('never let a tampered phiseal body through as plain text', async () => {
    const tampered = { ...kat.record, body: `${kat.record.body.slice(0, -2)}AA` };
    expect(['DECRYPTION_FAILED', 'MALFORMED_CIPHERTEXT']).toContain((await rejection(decryptRecord(tampered, { envelope, s3, acceptUnencrypted: true }))).code);
  });
  it('a sealed-attribute block on an inline message is refused', async () => {
    const record = { ...kat.record, messageAttributes: { PhisealSealedAttributes: { dataType: 'String', stringValue: kat.record.body } } };
    expect((await rejection(decryptRecord(record, { envelope, s3 }))).code).toBe('MALFORMED_CIPHERTEXT');
  });
});
