// Property tests of ESDK inline bodies (esdk-inline.ts) through the send-side sealing and
// decryptRecord, on a local key (no AWS call): arbitrary bodies and sealed attributes round
// trip; every single-bit flip of the body's message and of the sealed-attribute block's
// message is rejected.
import { S3Client } from '@aws-sdk/client-s3';
import { createEnvelope, LocalKeyProvider } from '@phiseal/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decryptRecord } from '../decrypt-record.js';
import { sealInline } from './inline-body.js';

const envelope = createEnvelope({ keys: new LocalKeyProvider({ keyId: 'prop', key: new Uint8Array(32).fill(0x33) }) });
const s3 = new S3Client({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
// LIMIT_EXCEEDED: a flip that raises the EDK count over maxWrappedKeys, or the frame length over core's cap.
const REFUSED = ['DECRYPTION_FAILED', 'MALFORMED_CIPHERTEXT', 'KEY_NOT_ALLOWED', 'CONTEXT_MISMATCH', 'LIMIT_EXCEEDED'];
const none = Object.create(null) as Record<string, never>;

async function code(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    return (error as { code?: string }).code;
  }
}

async function seal(body: Uint8Array, note: string | undefined, context: Record<string, string> = {}) {
  const sealed = note === undefined ? none : { note: { DataType: 'String', StringValue: note } };
  const out = await sealInline(envelope, 'esdk', { plaintext: body, sealed, visible: none, context }, 1_048_576);
  if (out === undefined) throw new Error('does not fit');
  const block = out.attributes['PhisealSealedAttributes']?.StringValue;
  return { body: out.body, block };
}

const record = (body: string, block: string | undefined) => ({
  messageId: 'm',
  body,
  ...(block === undefined ? {} : { messageAttributes: { PhisealSealedAttributes: { dataType: 'String', stringValue: block } } }),
});

/** Every single-bit flip of the binary message under base64 `text` (not of the text: see decrypt-record.property.test.ts). */
function* flips(text: string): Generator<string> {
  const bytes = Buffer.from(text, 'base64');
  for (let bit = 0; bit < bytes.length * 8; bit++) {
    const flipped = Buffer.from(bytes);
    flipped[bit >> 3]! ^= 1 << (bit & 7);
    yield flipped.toString('base64');
  }
}

describe('ESDK inline bodies', () => {
  it('round trip arbitrary bodies (across frame boundaries) with and without a sealed attribute', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 9000 }), fc.option(fc.string({ maxLength: 40 }), { nil: undefined }), async (body, note) => {
        const sealed = await seal(body, note, { t: 'a' });
        expect(sealed.block === undefined).toBe(note === undefined);
        const out = await decryptRecord(record(sealed.body, sealed.block), { envelope, s3, context: { t: 'a' } });
        expect(Buffer.from(out.bytes).equals(Buffer.from(body))).toBe(true);
        expect(out.attributes).toEqual(note === undefined ? {} : { note: { DataType: 'String', StringValue: note } });
      }),
      { numRuns: 60 },
    );
  });

  it('every single-bit flip of the body message is rejected', async () => {
    const sealed = await seal(new TextEncoder().encode('K+ 4.1'), 'Jane Q Doe', { t: 'a' });
    let count = 0;
    for (const body of flips(sealed.body)) {
      expect(REFUSED).toContain(await code(decryptRecord(record(body, sealed.block), { envelope, s3 })));
      count++;
    }
    expect(count).toBeGreaterThan(2000);
  });

  it('every single-bit flip of the sealed-attribute block is rejected', async () => {
    const sealed = await seal(new TextEncoder().encode('K+ 4.1'), 'Jane Q Doe', { t: 'a' });
    let count = 0;
    for (const block of flips(sealed.block!)) {
      expect(REFUSED).toContain(await code(decryptRecord(record(sealed.body, block), { envelope, s3 })));
      count++;
    }
    expect(count).toBeGreaterThan(2000);
  });
});
