// Known-answer vectors of ESDK inline bodies (test/vectors/esdk-inline-message.json, written by
// test/vectors/generate-esdk-inline.ts), read without the emulator on a local key: phiseal's own
// message (also opened by the JavaScript Encryption SDK, an independent decoder) and a body
// written by the SDK as a non-phiseal producer would put it on a queue.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { CommitmentPolicy, RawAesKeyringNode, RawAesWrappingSuiteIdentifier, buildClient } from '@aws-crypto/client-node';
import { S3Client } from '@aws-sdk/client-s3';
import { createEnvelope, LocalKeyProvider } from '@phiseal/core';
import { describe, expect, it } from 'vitest';
import { decryptRecord } from './decrypt-record.js';

type LambdaAttributes = Record<string, { dataType: string; stringValue: string }>;
type Record_ = { messageId: string; body: string; messageAttributes: LambdaAttributes };
const kat = JSON.parse(readFileSync(new URL('../test/vectors/esdk-inline-message.json', import.meta.url), 'utf8')) as {
  keyId: string;
  keyHex: string;
  phiseal: {
    record: Record_;
    expected: {
      body: string;
      attributes: Record<string, { DataType: string; StringValue?: string; BinaryValueHex?: string }>;
      bodyContext: Record<string, string>;
      blockContext: Record<string, string>;
    };
  };
  'sdk-js': { record: Record_; expected: { body: string; context: Record<string, string> } };
};
const key = Buffer.from(kat.keyHex, 'hex');
const envelope = createEnvelope({ keys: new LocalKeyProvider({ keyId: kat.keyId, key }) });
const s3 = new S3Client({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
const sdk = buildClient(CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT);
const keyring = new RawAesKeyringNode({
  keyName: kat.keyId,
  keyNamespace: 'phiseal-local',
  unencryptedMasterKey: new Uint8Array(key),
  wrappingSuite: RawAesWrappingSuiteIdentifier.AES256_GCM_IV12_TAG16_NO_PADDING,
});
const REFUSED = ['DECRYPTION_FAILED', 'MALFORMED_CIPHERTEXT'];

async function code(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    return (error as { code?: string }).code;
  }
}

const expectedAttributes = Object.fromEntries(
  Object.entries(kat.phiseal.expected.attributes).map(([name, a]) => [
    name,
    a.BinaryValueHex === undefined ? a : { DataType: a.DataType, BinaryValue: new Uint8Array(Buffer.from(a.BinaryValueHex, 'hex')) },
  ]),
);

describe('ESDK inline body known-answer vectors', () => {
  const { record, expected } = kat.phiseal;
  const block = record.messageAttributes['PhisealSealedAttributes']!.stringValue;

  it("phiseal's committed record decrypts to the committed body and sealed attributes", async () => {
    const out = await decryptRecord(record, { envelope, s3, context: { tenant: 'clinic-a' } });
    expect(out.body).toBe(expected.body);
    const binary = (v: Uint8Array | undefined) => (v === undefined ? undefined : new Uint8Array(v));
    const attributes = Object.fromEntries(
      Object.entries(out.attributes).map(([n, a]) => [n, a.BinaryValue === undefined ? a : { ...a, BinaryValue: binary(a.BinaryValue) }]),
    );
    expect(attributes).toEqual(expectedAttributes);
    expect(out).toMatchObject({ offloaded: false, encrypted: true });
  });

  it('the JavaScript Encryption SDK reads the body and the block: the layout docs/format.md states', async () => {
    const body = await sdk.decrypt(keyring, Buffer.from(record.body, 'base64'));
    expect(Buffer.from(body.plaintext).toString()).toBe(expected.body);
    expect(body.messageHeader.encryptionContext).toEqual(expected.bodyContext);
    expect(body.messageHeader.suiteId).toBe(0x0478);
    const frame = await sdk.decrypt(keyring, Buffer.from(block, 'base64'));
    expect(frame.messageHeader.encryptionContext).toEqual(expected.blockContext);
    const bytes = Buffer.from(frame.plaintext);
    // Frame v2, kind 3, two attributes, ..., then the SHA-256 of the body's ESDK message.
    expect([...bytes.subarray(0, 3)]).toEqual([2, 3, 2]);
    expect(bytes.subarray(-32)).toEqual(createHash('sha256').update(Buffer.from(record.body, 'base64')).digest());
  });

  it('the block cannot be removed, and the body cannot stand without it', async () => {
    const { PhisealSealedAttributes: _block, ...visible } = record.messageAttributes;
    expect(REFUSED).toContain(await code(decryptRecord({ ...record, messageAttributes: visible }, { envelope, s3 })));
    // ... nor be given as the body.
    expect(REFUSED).toContain(await code(decryptRecord({ messageId: 'm', body: block }, { envelope, s3 })));
  });

  it('a body written by the JavaScript Encryption SDK is read as an inline message', async () => {
    const peer = kat['sdk-js'];
    const out = await decryptRecord(peer.record, { envelope, s3, context: peer.expected.context });
    expect(out.body).toBe(peer.expected.body);
    expect(out.attributes).toEqual({ kind: { DataType: 'String', StringValue: 'lab' } });
    expect(await code(decryptRecord(peer.record, { envelope, s3, context: { tenant: 'clinic-b' } }))).toBe('CONTEXT_MISMATCH');
    // A peer body next to phiseal's block: the block names another body.
    const withBlock = { ...peer.record, messageAttributes: { PhisealSealedAttributes: record.messageAttributes['PhisealSealedAttributes']! } };
    expect(REFUSED).toContain(await code(decryptRecord(withBlock, { envelope, s3 })));
  });

  it('the compact known-answer record (bodyFormat compact) still reads', async () => {
    const compact = JSON.parse(readFileSync(new URL('../test/vectors/inline-message.json', import.meta.url), 'utf8')) as { record: Record_ };
    await expect(decryptRecord(compact.record, { envelope, s3 })).resolves.toMatchObject({ body: 'glucose 5.4 mmol/L' });
  });
});
