// Issue 11, defects 12 and 13: the stored encryption context of an offloaded payload is read
// through @phiseal/s3's reader, so an instruction file gets the same 64 KiB limit (checked
// from Content-Length before the body is read) and strict parsing, and a failure quotes
// nothing that was stored. Whoever can write the payload bucket chooses these bytes.
import { inspect } from 'node:util';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { s3Client } from '@phiseal/test-support';
import { beforeAll, describe, expect, it } from 'vitest';
import { createOpenContext } from '../src/internal/open-context.js';
import type { OpenContext } from '../src/internal/queue-context.js';
import { storedContext } from '../src/internal/stored-context.js';
import { fixture, rejection, type Fixture } from './setup.js';

let f: Fixture;
let ctx: OpenContext;
beforeAll(async () => {
  f = await fixture();
  ctx = createOpenContext({ envelope: f.envelope, s3: s3Client(), allowedBuckets: undefined, acceptUnencrypted: false });
});

async function put(key: string, body: string | Uint8Array, metadata: Record<string, string> = {}): Promise<void> {
  await s3Client().send(new PutObjectCommand({ Bucket: f.bucket, Key: key, Body: body, Metadata: metadata }));
}

describe('stored context of a payload', () => {
  it('reads the context of a payload phiseal wrote (control)', async () => {
    await f.s3Put('sc/ok', { tenant: 'clinic-a' });
    expect(await storedContext(ctx, { bucket: f.bucket, key: 'sc/ok' })).toEqual({ tenant: 'clinic-a' });
  });

  it('refuses an instruction file over 64 KiB before reading it (defect 13)', async () => {
    // V3 content entries on the object, the rest (and the context) in a huge instruction file.
    await put('sc/big', 'x', { 'x-amz-c': '115', 'x-amz-d': 'AAAA', 'x-amz-i': 'AAAA' });
    const huge = JSON.stringify({ 'x-amz-t': '{"tenant":"clinic-a"}', 'x-amz-w': '12', 'x-amz-3': 'AAAA', pad: 'a'.repeat(200_000) });
    await put('sc/big.instruction', huge);
    const error = await rejection(storedContext(ctx, { bucket: f.bucket, key: 'sc/big' }));
    expect(error.code).toBe('MALFORMED_CIPHERTEXT');
  });

  it('an instruction file that is not JSON: no stored text in the error (defect 12)', async () => {
    await put('sc/bad', 'x', { 'x-amz-c': '115', 'x-amz-d': 'AAAA', 'x-amz-i': 'AAAA' });
    await put('sc/bad.instruction', '{"x-amz-t": PATIENT-SECRET-448812');
    const error = await rejection(storedContext(ctx, { bucket: f.bucket, key: 'sc/bad' }));
    expect(error.code).toBe('MALFORMED_CIPHERTEXT');
    expect((error as { cause?: unknown }).cause).toBeUndefined();
    expect(inspect(error, { depth: 10, showHidden: true })).not.toContain('PATIENT-SECRET');
  });

  it('a context in the metadata that is not JSON: no stored text in the error (defect 12)', async () => {
    await put('sc/badmeta', 'x', { 'x-amz-t': '{"tenant":PATIENT-SECRET-448812}' });
    const error = await rejection(storedContext(ctx, { bucket: f.bucket, key: 'sc/badmeta' }));
    expect(error.code).toBe('MALFORMED_CIPHERTEXT');
    expect(inspect(error, { depth: 10, showHidden: true })).not.toContain('PATIENT-SECRET');
  });
});
