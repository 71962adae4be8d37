import { S3Client } from '@aws-sdk/client-s3';
import { createEnvelope, LocalKeyProvider } from '@phiseal/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decryptRecord } from './decrypt-record.js';
import { encodeFrame } from './internal/body-frame.js';

const envelope = createEnvelope({ keys: new LocalKeyProvider({ keyId: 'prop', key: new Uint8Array(32).fill(0x33) }), format: 'compact' });
const s3 = new S3Client({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });

async function code(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    return (error as { code?: string }).code;
  }
}

describe('encrypted bodies', () => {
  it('round trip arbitrary bodies and sealed attributes through send-side framing and decryptRecord', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 2048 }), fc.string({ maxLength: 40 }), async (body, note) => {
        const frame = encodeFrame('body', { note: { DataType: 'String', StringValue: note } }, body);
        const sealed = await envelope.encryptToString(frame);
        const out = await decryptRecord({ messageId: 'm', body: sealed }, { envelope, s3 });
        expect(Buffer.from(out.bytes).equals(Buffer.from(body))).toBe(true);
        expect(out.attributes['note']).toEqual({ DataType: 'String', StringValue: note });
      }),
      { numRuns: 100 },
    );
  });

  it('every single-bit flip of a small encrypted body is rejected', async () => {
    const sealed = await envelope.encryptToString(encodeFrame('body', {}, new TextEncoder().encode('K+ 4.1')), { context: { t: 'a' } });
    const bytes = Buffer.from(sealed.slice('ps1.'.length), 'base64url');
    // Flip the binary message, not the base64 text: a flip in the unused low bits of the last
    // base64 character would decode to the same bytes and prove nothing.
    for (let bit = 0; bit < bytes.length * 8; bit++) {
      const flipped = Buffer.from(bytes);
      flipped[bit >> 3]! ^= 1 << (bit & 7);
      const body = `ps1.${flipped.toString('base64url')}`;
      const result = await code(decryptRecord({ messageId: 'm', body }, { envelope, s3 }));
      expect(['DECRYPTION_FAILED', 'MALFORMED_CIPHERTEXT', 'KEY_NOT_ALLOWED', 'CONTEXT_MISMATCH']).toContain(result);
    }
  });
});
