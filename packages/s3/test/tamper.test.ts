// Altered objects are refused: body, tag, every piece of content metadata, the context.
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { s3Client } from '@phiseal/test-support';
import { beforeAll, describe, expect, it } from 'vitest';
import { fixture, pattern, rejection, type Fixture } from './setup.js';

let f: Fixture;
beforeAll(async () => {
  f = await fixture();
});

const context = { tenant: 'clinic-a' };

/** Stores a copy of `key` under `copy` after `alter` has changed its raw bytes and/or metadata. */
async function tampered(
  key: string,
  copy: string,
  alter: (raw: { body: Buffer; metadata: Record<string, string> }) => void,
): Promise<void> {
  const raw = s3Client();
  const out = await raw.send(new GetObjectCommand({ Bucket: f.bucket, Key: key }));
  const state = { body: Buffer.from(await out.Body!.transformToByteArray()), metadata: { ...(out.Metadata ?? {}) } };
  alter(state);
  await raw.send(new PutObjectCommand({ Bucket: f.bucket, Key: copy, Body: state.body, Metadata: state.metadata }));
}

// Flips a bit of the last byte: for a KMS blob that is the sealed key itself (flipping the
// header instead makes the emulator answer AccessDenied, which is reported as KMS_UNAVAILABLE).
function flipBase64(value: string | undefined): string {
  const bytes = Buffer.from(value ?? '', 'base64');
  const last = bytes.length - 1;
  bytes[last] = (bytes[last] ?? 0) ^ 0x01;
  return bytes.toString('base64');
}

describe.each(['v3', 'v2'] as const)('tampering with a %s object', (format) => {
  const policy = format === 'v3' ? 'require-encrypt-require-decrypt' : 'forbid-encrypt-allow-decrypt';
  const key = `tamper/${format}/original`;
  const body = pattern(100, 4);
  const read = (k: string, ctx: Record<string, string> | null = context) =>
    f.s3({ format, commitmentPolicy: policy }).getObject({ Bucket: f.bucket, Key: k, ...(ctx ? { context: ctx } : {}) });

  beforeAll(async () => {
    await f.s3({ format }).putObject({ Bucket: f.bucket, Key: key, Body: body, context });
    // The untouched object reads back: every failure below is caused by the alteration.
    const out = await read(key);
    expect(Buffer.from(await out.Body.transformToByteArray()).equals(body)).toBe(true);
  });

  const cases: [string, (raw: { body: Buffer; metadata: Record<string, string> }) => void, string][] = [
    ['a flipped body byte', (r) => void (r.body[10] = r.body[10]! ^ 0x80), 'DECRYPTION_FAILED'],
    ['a flipped tag byte', (r) => void (r.body[r.body.length - 1] = r.body[r.body.length - 1]! ^ 0x01), 'DECRYPTION_FAILED'],
    ['a truncated body', (r) => void (r.body = r.body.subarray(0, r.body.length - 1)), 'DECRYPTION_FAILED'],
    ['a body shorter than a tag', (r) => void (r.body = r.body.subarray(0, 10)), 'DECRYPTION_FAILED'],
    ['an appended byte', (r) => void (r.body = Buffer.concat([r.body, Buffer.of(0)])), 'DECRYPTION_FAILED'],
    [
      'a flipped wrapped data key',
      (r) => {
        const k = format === 'v3' ? 'x-amz-3' : 'x-amz-key-v2';
        r.metadata[k] = flipBase64(r.metadata[k]);
      },
      'DECRYPTION_FAILED',
    ],
    [
      'a stored context changed to match another caller',
      (r) => {
        const k = format === 'v3' ? 'x-amz-t' : 'x-amz-matdesc';
        const ctx = JSON.parse(r.metadata[k]!) as Record<string, string>;
        ctx['extra'] = 'added';
        r.metadata[k] = JSON.stringify(ctx);
      },
      'CONTEXT_MISMATCH',
    ],
    [
      'the algorithm entry of the stored context changed',
      (r) => {
        const k = format === 'v3' ? 'x-amz-t' : 'x-amz-matdesc';
        const ctx = JSON.parse(r.metadata[k]!) as Record<string, string>;
        ctx['aws:x-amz-cek-alg'] = format === 'v3' ? 'AES/GCM/NoPadding' : '115';
        r.metadata[k] = JSON.stringify(ctx);
      },
      'DECRYPTION_FAILED',
    ],
    ['non-base64 key material', (r) => void (r.metadata[format === 'v3' ? 'x-amz-3' : 'x-amz-key-v2'] = '!!!'), 'MALFORMED_CIPHERTEXT'],
    ['mixed V2 and V3 keys', (r) => void (r.metadata[format === 'v3' ? 'x-amz-key-v2' : 'x-amz-3'] = 'AAAA'), 'MALFORMED_CIPHERTEXT'],
  ];
  if (format === 'v3') {
    cases.push(
      ['a flipped commitment', (r) => void (r.metadata['x-amz-d'] = flipBase64(r.metadata['x-amz-d'])), 'DECRYPTION_FAILED'],
      ['a flipped message id', (r) => void (r.metadata['x-amz-i'] = flipBase64(r.metadata['x-amz-i'])), 'DECRYPTION_FAILED'],
      ['an unknown content algorithm', (r) => void (r.metadata['x-amz-c'] = '114'), 'MALFORMED_CIPHERTEXT'],
      ['a short commitment', (r) => void (r.metadata['x-amz-d'] = 'AAAA'), 'MALFORMED_CIPHERTEXT'],
    );
  } else {
    cases.push(
      ['a flipped IV', (r) => void (r.metadata['x-amz-iv'] = flipBase64(r.metadata['x-amz-iv'])), 'DECRYPTION_FAILED'],
      ['another tag length', (r) => void (r.metadata['x-amz-tag-len'] = '96'), 'MALFORMED_CIPHERTEXT'],
    );
  }

  for (const [name, alter, code] of cases) {
    it(`refuses ${name} (${code})`, async () => {
      const copy = `tamper/${format}/${name.replace(/\W+/g, '-')}`;
      await tampered(key, copy, alter);
      const error = await rejection(read(copy).then((out) => out.Body.transformToByteArray()));
      expect(error.code).toBe(code);
    });
  }

  it('refuses the wrong context and a missing context', async () => {
    expect((await rejection(read(key, { tenant: 'clinic-b' }))).code).toBe('CONTEXT_MISMATCH');
    expect((await rejection(read(key, null))).code).toBe('CONTEXT_MISMATCH');
    expect((await rejection(read(key, { ...context, more: 'x' }))).code).toBe('CONTEXT_MISMATCH');
  });

  it('refuses a context that uses the reserved key', async () => {
    expect((await rejection(read(key, { ...context, 'aws:x-amz-cek-alg': '115' }))).code).toBe('INVALID_ARGUMENT');
  });
});

describe('downgrade and policy', () => {
  it('a V3 object relabelled as V2 does not decrypt', async () => {
    const key = 'tamper/downgrade/original';
    await f.s3().putObject({ Bucket: f.bucket, Key: key, Body: pattern(64, 2), context });
    await tampered(key, 'tamper/downgrade/relabelled', (r) => {
      const m = r.metadata;
      r.metadata = {
        'x-amz-key-v2': m['x-amz-3']!,
        'x-amz-iv': Buffer.alloc(12, 1).toString('base64'),
        'x-amz-cek-alg': 'AES/GCM/NoPadding',
        'x-amz-tag-len': '128',
        'x-amz-wrap-alg': 'kms+context',
        'x-amz-matdesc': m['x-amz-t']!,
      };
    });
    const reader = f.s3({ commitmentPolicy: 'require-encrypt-allow-decrypt' });
    const error = await rejection(reader.getObject({ Bucket: f.bucket, Key: 'tamper/downgrade/relabelled', context }));
    expect(error.code).toBe('DECRYPTION_FAILED');
    // Under the default policy it is refused before any key is used.
    const strict = await rejection(f.s3().getObject({ Bucket: f.bucket, Key: 'tamper/downgrade/relabelled', context }));
    expect(strict.code).toBe('COMMITMENT_POLICY_VIOLATION');
  });

  it('V2 objects are refused under require-encrypt-require-decrypt and read under allow-decrypt', async () => {
    const key = 'tamper/policy/v2';
    await f.s3({ format: 'v2' }).putObject({ Bucket: f.bucket, Key: key, Body: 'v2 body', context });
    const kmsCallsBefore = f.envelope.stats().kmsDecryptCalls;
    expect((await rejection(f.s3().getObject({ Bucket: f.bucket, Key: key, context }))).code).toBe('COMMITMENT_POLICY_VIOLATION');
    expect(f.envelope.stats().kmsDecryptCalls).toBe(kmsCallsBefore);
    const out = await f.s3({ commitmentPolicy: 'require-encrypt-allow-decrypt' }).getObject({ Bucket: f.bucket, Key: key, context });
    expect(await out.Body.transformToString()).toBe('v2 body');
  });

  it('an object that is not encrypted is refused (PLAINTEXT_REFUSED under the default plaintextPolicy)', async () => {
    await s3Client().send(new PutObjectCommand({ Bucket: f.bucket, Key: 'tamper/plain', Body: 'plain text' }));
    expect((await rejection(f.s3().getObject({ Bucket: f.bucket, Key: 'tamper/plain' }))).code).toBe('PLAINTEXT_REFUSED');
  });

  it('a legacy V1 object is refused as unsupported', async () => {
    await s3Client().send(
      new PutObjectCommand({ Bucket: f.bucket, Key: 'tamper/v1', Body: 'x', Metadata: { 'x-amz-key': 'AAAA', 'x-amz-iv': 'AAAA', 'x-amz-matdesc': '{}' } }),
    );
    expect((await rejection(f.s3().getObject({ Bucket: f.bucket, Key: 'tamper/v1' }))).code).toBe('UNSUPPORTED_OPERATION');
  });
});
