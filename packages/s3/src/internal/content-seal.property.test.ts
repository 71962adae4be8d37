import { Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ContentFormat } from './content-cipher.js';
import { openBytes, prepareDecryption, prepareEncryption, sealBytes } from './content-seal.js';
import { decryptStream } from './decrypt-stream.js';
import { storedContext } from './encryption-context.js';
import { decodeContentMetadata } from './metadata-decode.js';
import { encodeContentMetadata } from './metadata-encode.js';
import { createContentCipher } from './content-cipher.js';
import { encryptParts } from './part-encryptor.js';

const formats = fc.constantFrom<ContentFormat>('v2', 'v3');
const dataKeys = fc.uint8Array({ minLength: 32, maxLength: 32 });

function seal(format: ContentFormat, dataKey: Uint8Array, plaintext: Uint8Array) {
  const { meta, content } = prepareEncryption({
    format,
    dataKey,
    wrapAlgorithm: 'kms+context',
    encryptedDataKey: Uint8Array.of(1, 2, 3),
    context: storedContext({ t: 'x' }, format),
  });
  return { metadata: encodeContentMetadata(meta), body: sealBytes(content, plaintext) };
}

function open(metadata: Record<string, string>, dataKey: Uint8Array, body: Uint8Array): Buffer {
  return openBytes(prepareDecryption(decodeContentMetadata(metadata), dataKey), body);
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Splits bytes at the given cut points. */
function split(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let from = 0;
  for (const p of points) {
    out.push(bytes.subarray(from, p));
    from = p;
  }
  out.push(bytes.subarray(from));
  return out;
}

describe('content encryption properties', () => {
  it('round-trips arbitrary bytes through metadata encoding, in both formats', () => {
    fc.assert(
      fc.property(formats, dataKeys, fc.uint8Array({ maxLength: 2048 }), (format, dataKey, plaintext) => {
        const { metadata, body } = seal(format, dataKey, plaintext);
        expect(body.length).toBe(plaintext.length + 16);
        expect(open(metadata, dataKey, body).equals(Buffer.from(plaintext))).toBe(true);
      }),
    );
  });

  it('streamed decryption over any chunking equals the plaintext, in both authentication modes', async () => {
    await fc.assert(
      fc.asyncProperty(
        formats,
        dataKeys,
        fc.uint8Array({ maxLength: 600 }),
        fc.array(fc.nat(), { maxLength: 12 }),
        fc.constantFrom<'buffered' | 'delayed'>('buffered', 'delayed'),
        async (format, dataKey, plaintext, cuts, mode) => {
          const { metadata, body } = seal(format, dataKey, plaintext);
          const content = prepareDecryption(decodeContentMetadata(metadata), dataKey);
          const out = await readAll(decryptStream(content, Readable.from(split(body, cuts)), { mode, bufferLimit: 1 << 20, storedBytes: body.length }));
          expect(out.equals(Buffer.from(plaintext))).toBe(true);
        },
      ),
    );
  });

  it('every single-bit flip of a small body is rejected', () => {
    fc.assert(
      fc.property(formats, dataKeys, fc.uint8Array({ minLength: 0, maxLength: 24 }), (format, dataKey, plaintext) => {
        const { metadata, body } = seal(format, dataKey, plaintext);
        for (let bit = 0; bit < body.length * 8; bit++) {
          const altered = Buffer.from(body);
          altered[bit >> 3] = altered[bit >> 3]! ^ (1 << (bit & 7));
          expect(() => open(metadata, dataKey, altered)).toThrow(expect.objectContaining({ code: 'DECRYPTION_FAILED' }));
        }
      }),
      { numRuns: 20 },
    );
  });

  it('every single-bit flip of the IV, message id or commitment is rejected', () => {
    fc.assert(
      fc.property(formats, dataKeys, fc.uint8Array({ maxLength: 24 }), (format, dataKey, plaintext) => {
        const { metadata, body } = seal(format, dataKey, plaintext);
        const fields = format === 'v3' ? ['x-amz-i', 'x-amz-d'] : ['x-amz-iv'];
        for (const field of fields) {
          const raw = Buffer.from(metadata[field]!, 'base64');
          for (let bit = 0; bit < raw.length * 8; bit++) {
            const altered = Buffer.from(raw);
            altered[bit >> 3] = altered[bit >> 3]! ^ (1 << (bit & 7));
            const changed = { ...metadata, [field]: altered.toString('base64') };
            expect(() => open(changed, dataKey, body)).toThrow(expect.objectContaining({ code: 'DECRYPTION_FAILED' }));
          }
        }
      }),
      { numRuns: 10 },
    );
  });

  it('a V3 object does not open under another data key (the commitment catches it first)', () => {
    fc.assert(
      fc.property(dataKeys, dataKeys, fc.uint8Array({ maxLength: 64 }), (a, b, plaintext) => {
        fc.pre(!Buffer.from(a).equals(Buffer.from(b)));
        const { metadata } = seal('v3', a, plaintext);
        expect(() => prepareDecryption(decodeContentMetadata(metadata), b)).toThrow(expect.objectContaining({ code: 'DECRYPTION_FAILED' }));
      }),
    );
  });
});

describe('part encryption properties', () => {
  it('parts are whole-part sized but the last, exactly one is last, and together they are the PutObject body', async () => {
    await fc.assert(
      fc.asyncProperty(
        formats,
        dataKeys,
        fc.uint8Array({ maxLength: 3000 }),
        fc.array(fc.nat(), { maxLength: 20 }),
        fc.integer({ min: 1, max: 700 }),
        async (format, dataKey, bytes, cuts, partSize) => {
          const prepared = prepareEncryption({ format, dataKey, wrapAlgorithm: 'kms+context', encryptedDataKey: Uint8Array.of(1), context: {} });
          const cipher = createContentCipher({ ...prepared.content, key: Buffer.from(prepared.content.key) });
          const parts: { data: Buffer; last: boolean; plainBytes: number }[] = [];
          for await (const part of encryptParts(Readable.from(split(bytes, cuts).filter((c) => c.length > 0)), cipher, partSize, 2)) {
            parts.push({ data: Buffer.from(part.data), last: part.last, plainBytes: part.plainBytes });
            part.release();
          }
          expect(parts.filter((p) => p.last)).toHaveLength(1);
          expect(parts.at(-1)?.last).toBe(true);
          for (const p of parts.slice(0, -1)) expect(p.data.length).toBe(partSize);
          expect(parts.reduce((n, p) => n + p.plainBytes, 0)).toBe(bytes.length);
          if (bytes.length > 0) expect(parts.at(-1)!.plainBytes).toBeGreaterThan(0);
          // The concatenated parts are exactly the single-shot ciphertext || tag.
          expect(Buffer.concat(parts.map((p) => p.data)).equals(sealBytes(prepared.content, bytes))).toBe(true);
        },
      ),
    );
  });
});
