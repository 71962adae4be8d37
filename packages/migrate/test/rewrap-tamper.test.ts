import { PutObjectCommand } from '@aws-sdk/client-s3';
import fc from 'fast-check';
import { readStoredDataKey } from '@phiseal/s3';
import { createBucket, s3Client } from '@phiseal/test-support';
import { beforeAll, describe, expect, it } from 'vitest';
import { keyRotation } from '../src/internal/key-rotation.js';
import { rewrapStoredObject } from '../src/internal/object-rewrap.js';
import { localKeys, rawObject, readWith, writeWith } from './rewrap-support.js';

// Every stored byte is hostile input: an object whose S3EC metadata was altered in any one entry
// is reported failed with a value-free code, and nothing is written (same ETag, same bytes).

const client = s3Client();
const from = localKeys('old-key');
const to = localKeys('new-key');

let bucket: string;
let original: Awaited<ReturnType<typeof rawObject>>;
beforeAll(async () => {
  bucket = await createBucket();
  await writeWith(from, bucket, 'tamper/original', 'lab result 5.4 mmol/L');
  original = await rawObject(client, bucket, 'tamper/original');
});

const BASE64_ENTRIES = ['x-amz-3', 'x-amz-d', 'x-amz-i'] as const;
const TEXT_ENTRIES = ['x-amz-c', 'x-amz-w', 'x-amz-t'] as const;

type Tamper = { entry: string; value: (old: string) => string };

const bitFlip = fc.record({ entry: fc.constantFrom(...BASE64_ENTRIES), bit: fc.nat() }).map(({ entry, bit }): Tamper => ({
  entry,
  value: (old) => {
    const bytes = Buffer.from(old, 'base64');
    const i = bit % (bytes.length * 8);
    bytes[i >> 3]! ^= 1 << (i & 7);
    return bytes.toString('base64');
  },
}));
const replaced = fc.record({ entry: fc.constantFrom(...TEXT_ENTRIES), text: fc.string({ unit: fc.constantFrom(...'abc{}":,0123456789'.split('')), maxLength: 40 }) })
  .map(({ entry, text }): Tamper => ({ entry, value: (old) => (text === old ? `${text}x` : text) }));
const removed = fc.constantFrom(...BASE64_ENTRIES, ...TEXT_ENTRIES).map((entry): Tamper => ({ entry, value: () => '' }));

describe('an object with altered S3EC metadata', () => {
  it('is never rotated: failed with a code, left byte for byte as it was', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.oneof(bitFlip, replaced, removed), async ({ entry, value }) => {
        const key = `tamper/${n++}`;
        const metadata = { ...original.metadata };
        const next = value(metadata[entry] ?? '');
        if (next === '') delete metadata[entry];
        else metadata[entry] = next;
        await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: original.body, Metadata: metadata }));
        const before = await rawObject(client, bucket, key);
        const out = await rewrapStoredObject({ client, bucket, rotation: keyRotation(from, to), dryRun: false, maxConflictRetries: 2 }, key, 'x');
        expect(out.outcome).toBe('failed');
        expect(['DECRYPTION_FAILED', 'KEY_NOT_ALLOWED', 'UNSUPPORTED_OPERATION']).toContain(out.code);
        const after = await rawObject(client, bucket, key);
        expect(after.etag).toBe(before.etag);
        expect(after.metadata).toEqual(before.metadata);
      }),
      { numRuns: 25 },
    );
    // The untouched original still rotates.
    expect(await rewrapStoredObject({ client, bucket, rotation: keyRotation(from, to), dryRun: false, maxConflictRetries: 2 }, 'tamper/original', 'x')).toMatchObject({ outcome: 'migrated' });
    expect(await readWith(to, bucket, 'tamper/original')).toBe('lab result 5.4 mmol/L');
  });
});

describe('the stored wrapped key of a local-key object', () => {
  it('is refused for every single-bit flip, its recorded key id included (all 8 x length bits)', async () => {
    const stored = original.metadata['x-amz-3']!;
    const bits = Buffer.from(stored, 'base64').length * 8;
    const accepted: number[] = [];
    for (let bit = 0; bit < bits; bit++) {
      const bytes = Buffer.from(stored, 'base64');
      bytes[bit >> 3]! ^= 1 << (bit & 7);
      try {
        await keyRotation(from, to).rotate(readStoredDataKey({ ...original.metadata, 'x-amz-3': bytes.toString('base64') }, null), false);
        accepted.push(bit);
      } catch (error) {
        expect(['DECRYPTION_FAILED', 'KEY_NOT_ALLOWED', 'MALFORMED_CIPHERTEXT']).toContain((error as { code?: string }).code);
      }
    }
    expect(accepted).toEqual([]);
  });
});
