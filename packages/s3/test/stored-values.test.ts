// Issue 11, defect 12: stored text that fails to parse (an encryption context, an
// instruction file, a wrapping-algorithm name) must not reach the caller through the error:
// no parser error as `cause` (V8 quotes the input in its message), no stored value in the
// message or details. Whoever can write the bucket chooses that text.
import { inspect } from 'node:util';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { s3Client } from '@phiseal/test-support';
import { beforeAll, describe, expect, it } from 'vitest';
import { fixture, rejection, type Fixture } from './setup.js';

let f: Fixture;
beforeAll(async () => {
  f = await fixture();
});

const SECRET = 'PATIENT-SECRET-448812';

async function copyWith(key: string, copy: string, alter: (metadata: Record<string, string>) => void): Promise<void> {
  const raw = s3Client();
  const out = await raw.send(new GetObjectCommand({ Bucket: f.bucket, Key: key }));
  const metadata = { ...(out.Metadata ?? {}) };
  alter(metadata);
  await raw.send(new PutObjectCommand({ Bucket: f.bucket, Key: copy, Body: await out.Body!.transformToByteArray(), Metadata: metadata }));
}

/** The error, everything reachable from it (cause chain, details, stack) as text. */
function everything(error: unknown): string {
  return inspect(error, { depth: 10, showHidden: true });
}

describe('errors on unparseable stored text carry no stored values', () => {
  it('an encryption context (x-amz-t) that is not JSON', async () => {
    await f.s3().putObject({ Bucket: f.bucket, Key: 'sv/v3', Body: 'x', context: { tenant: 'a' } });
    await copyWith('sv/v3', 'sv/v3-bad-context', (m) => void (m['x-amz-t'] = `{"tenant":${SECRET}}`));
    const error = await rejection(f.s3().getObject({ Bucket: f.bucket, Key: 'sv/v3-bad-context', context: { tenant: 'a' } }));
    expect(error.code).toBe('MALFORMED_CIPHERTEXT');
    expect((error as { cause?: unknown }).cause).toBeUndefined();
    expect(everything(error)).not.toContain(SECRET);
  });

  it('a V2 materials description that is not JSON', async () => {
    await f.s3({ format: 'v2' }).putObject({ Bucket: f.bucket, Key: 'sv/v2', Body: 'x', context: { tenant: 'a' } });
    await copyWith('sv/v2', 'sv/v2-bad-context', (m) => void (m['x-amz-matdesc'] = `{"tenant":${SECRET}`));
    const error = await rejection(f.s3({ commitmentPolicy: 'require-encrypt-allow-decrypt' }).getObject({ Bucket: f.bucket, Key: 'sv/v2-bad-context', context: { tenant: 'a' } }));
    expect(error.code).toBe('MALFORMED_CIPHERTEXT');
    expect((error as { cause?: unknown }).cause).toBeUndefined();
    expect(everything(error)).not.toContain(SECRET);
  });

  it('an instruction file that is not JSON', async () => {
    await f.s3({ instructionFile: true }).putObject({ Bucket: f.bucket, Key: 'sv/if', Body: 'x', context: { tenant: 'a' } });
    await s3Client().send(new PutObjectCommand({ Bucket: f.bucket, Key: 'sv/if.instruction', Body: `{"x-amz-t": ${SECRET}` }));
    const error = await rejection(f.s3().getObject({ Bucket: f.bucket, Key: 'sv/if', context: { tenant: 'a' } }));
    expect(error.code).toBe('MALFORMED_CIPHERTEXT');
    expect((error as { cause?: unknown }).cause).toBeUndefined();
    expect(everything(error)).not.toContain(SECRET);
  });

  it('an unsupported key-wrapping name chosen by the writer', async () => {
    await f.s3({ format: 'v2' }).putObject({ Bucket: f.bucket, Key: 'sv/v2w', Body: 'x', context: { tenant: 'a' } });
    await copyWith('sv/v2w', 'sv/v2-rsa', (m) => void (m['x-amz-wrap-alg'] = `RSA-${SECRET}`));
    const error = await rejection(f.s3({ commitmentPolicy: 'require-encrypt-allow-decrypt' }).getObject({ Bucket: f.bucket, Key: 'sv/v2-rsa', context: { tenant: 'a' } }));
    expect(error.code).toBe('UNSUPPORTED_OPERATION');
    expect(everything(error)).not.toContain(SECRET);
  });
});

describe('readContext', () => {
  it('returns the stored context without reserved entries, from metadata and from an instruction file', async () => {
    await f.s3().putObject({ Bucket: f.bucket, Key: 'rc/meta', Body: 'x', context: { tenant: 'a', purpose: 'lab' } });
    await f.s3({ instructionFile: true }).putObject({ Bucket: f.bucket, Key: 'rc/file', Body: 'x', context: { tenant: 'b' } });
    expect(await f.s3().readContext({ Bucket: f.bucket, Key: 'rc/meta' })).toEqual({ tenant: 'a', purpose: 'lab' });
    expect(await f.s3().readContext({ Bucket: f.bucket, Key: 'rc/file' })).toEqual({ tenant: 'b' });
  });

  it('refuses an instruction file over 64 KiB (issue 11, defect 13)', async () => {
    await f.s3({ instructionFile: true }).putObject({ Bucket: f.bucket, Key: 'rc/big', Body: 'x', context: { tenant: 'b' } });
    await s3Client().send(new PutObjectCommand({ Bucket: f.bucket, Key: 'rc/big.instruction', Body: JSON.stringify({ 'x-amz-t': '{}', pad: 'a'.repeat(70_000) }) }));
    expect((await rejection(f.s3().readContext({ Bucket: f.bucket, Key: 'rc/big' }))).code).toBe('MALFORMED_CIPHERTEXT');
  });
});
