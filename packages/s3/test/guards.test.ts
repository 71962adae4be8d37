// PHI guards and argument checks run before any request is sent.
import { S3Client } from '@aws-sdk/client-s3';
import { awsClientConfig } from '@phiseal/test-support';
import { encryptedS3 } from '@phiseal/s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { fixture, rejection, type Fixture } from './setup.js';

let f: Fixture;
beforeAll(async () => {
  f = await fixture();
});

/** A real client that records the commands it sends. */
function recordingClient(): { client: S3Client; sent: string[] } {
  const client = new S3Client({ ...awsClientConfig(), forcePathStyle: true });
  const sent: string[] = [];
  client.middlewareStack.add(
    ((next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) => (args: unknown) => {
      sent.push(context.commandName ?? '');
      return next(args);
    }) as never,
    { step: 'initialize', name: 'record' },
  );
  return { client, sent };
}

describe('PHI guards', () => {
  const cases: [string, () => Record<string, unknown>][] = [
    ['an SSN in the key', () => ({ Key: 'patients/123-45-6789/chart.pdf' })],
    ['an email in the bucket name', () => ({ Bucket: 'jane.doe@example.com' })],
    ['a phone number in a metadata value', () => ({ Metadata: { contact: '(555) 867-5309' } })],
    ['an SSN in a metadata key', () => ({ Metadata: { 'ssn-123-45-6789': 'x' } })],
    ['an SSN in a tag value', () => ({ Tagging: 'patient=123-45-6789' })],
    ['an email in a tag key', () => ({ Tagging: `${encodeURIComponent('jane.doe@example.com')}=1` })],
    ['an SSN in a Content-Disposition filename', () => ({ ContentDisposition: 'attachment; filename="123-45-6789.pdf"' })],
    ['an email in a filename* parameter', () => ({ ContentDisposition: "attachment; filename*=UTF-8''jane.doe%40example.com.pdf" })],
    ['an SSN in another Content-Disposition parameter', () => ({ ContentDisposition: 'attachment; filename="report.pdf"; patient="123-45-6789"' })],
    ['an SSN in a Content-Type name parameter', () => ({ ContentType: 'text/plain; name="123-45-6789.txt"' })],
    ['an email in Cache-Control', () => ({ CacheControl: 'private, jane.doe@example.com' })],
  ];
  for (const [name, extra] of cases) {
    it(`refuses ${name} with nothing sent`, async () => {
      const { client, sent } = recordingClient();
      const s3 = encryptedS3({ client, envelope: f.envelope });
      const request = { Bucket: f.bucket, Key: 'ok/key.bin', Body: 'x', ...extra() } as Parameters<typeof s3.putObject>[0];
      expect((await rejection(s3.putObject(request))).code).toBe('PHI_DETECTED');
      expect((await rejection(s3.upload(request))).code).toBe('PHI_DETECTED');
      expect(sent).toEqual([]);
    });
  }

  it('checks keys on reads and deletes too', async () => {
    const { client, sent } = recordingClient();
    const s3 = encryptedS3({ client, envelope: f.envelope });
    expect((await rejection(s3.getObject({ Bucket: f.bucket, Key: 'mrn/123-45-6789' }))).code).toBe('PHI_DETECTED');
    expect((await rejection(s3.deleteObject({ Bucket: f.bucket, Key: 'mrn/123-45-6789' }))).code).toBe('PHI_DETECTED');
    expect((await rejection(s3.getObject({ Bucket: f.bucket, Key: 'ok/key.bin', instructionFileSuffix: '.123-45-6789' }))).code).toBe('PHI_DETECTED');
    expect(sent).toEqual([]);
  });

  it('lets clean requests through', async () => {
    const s3 = f.s3();
    await s3.putObject({
      Bucket: f.bucket,
      Key: 'ok/clean.pdf',
      Body: 'x',
      Metadata: { department: 'radiology' },
      Tagging: 'retention=7y&class=phi',
      ContentDisposition: 'attachment; filename="report.pdf"',
      ContentType: 'application/pdf',
      CacheControl: 'private, max-age=3600',
    });
    expect(await (await s3.getObject({ Bucket: f.bucket, Key: 'ok/clean.pdf' })).Body.transformToString()).toBe('x');
  });
});

describe('arguments and configuration', () => {
  it('refuses reserved metadata keys, bad bodies and bad contexts', async () => {
    const s3 = f.s3();
    const base = { Bucket: f.bucket, Key: 'args/x' };
    expect((await rejection(s3.putObject({ ...base, Body: 'x', Metadata: { 'x-amz-c': '115' } }))).code).toBe('INVALID_ARGUMENT');
    expect((await rejection(s3.putObject({ ...base, Body: 42 as unknown as string }))).code).toBe('INVALID_ARGUMENT');
    expect((await rejection(s3.putObject({ ...base, Body: 'x', context: { 'aws:x-amz-cek-alg': '115' } }))).code).toBe('INVALID_ARGUMENT');
    expect((await rejection(s3.putObject({ ...base, Body: 'x', context: { city: 'Zürich' } }))).code).toBe('INVALID_ARGUMENT');
    expect((await rejection(s3.putObject({ ...base, Key: '', Body: 'x' }))).code).toBe('INVALID_ARGUMENT');
    expect((await rejection(s3.putObject({ ...base, Body: 'x', ContentType: 5 as unknown as string }))).code).toBe('INVALID_ARGUMENT');
  });

  it('refuses a plain http endpoint that is not loopback', async () => {
    const client = new S3Client({ ...awsClientConfig(), endpoint: 'http://s3.example.com' });
    // Refused at construction when the endpoint can be read from the client, and in any
    // case by the request middleware before anything leaves the process.
    let error: unknown;
    try {
      const s3 = encryptedS3({ client, envelope: f.envelope });
      await s3.deleteObject({ Bucket: f.bucket, Key: 'never/sent' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toEqual(expect.objectContaining({ code: 'INSECURE_ENDPOINT' }));
  });

  it('refuses a write format the commitment policy forbids', () => {
    expect(() => f.s3({ format: 'v2', commitmentPolicy: 'require-encrypt-allow-decrypt' })).toThrow(
      expect.objectContaining({ code: 'COMMITMENT_POLICY_VIOLATION' }),
    );
    expect(() => f.s3({ format: 'v3', commitmentPolicy: 'forbid-encrypt-allow-decrypt' })).toThrow(
      expect.objectContaining({ code: 'COMMITMENT_POLICY_VIOLATION' }),
    );
    expect(f.s3({ format: 'v2' }).commitmentPolicy).toBe('forbid-encrypt-allow-decrypt');
    expect(f.s3().commitmentPolicy).toBe('require-encrypt-require-decrypt');
  });

  it('refuses bad options', () => {
    expect(() => f.s3({ partSize: 1024 })).toThrow(expect.objectContaining({ code: 'INVALID_CONFIGURATION' }));
    expect(() => f.s3({ queueSize: 0 })).toThrow(expect.objectContaining({ code: 'INVALID_CONFIGURATION' }));
    expect(() => f.s3({ format: 'v4' as 'v3' })).toThrow(expect.objectContaining({ code: 'INVALID_CONFIGURATION' }));
  });
});
