// Interop with the official aws-encryption-cli (PyPI aws-encryption-sdk-cli 4.3.0 on
// aws-encryption-sdk 3.3.1, installed by `node scripts/emulator.mjs setup` into its own
// .venv-esdk-cli from scripts/esdk-cli-requirements.txt) through KMS on the emulator, both
// ways: files `phiseal encrypt` wrote (default --format esdk) are decrypted by
// `aws-encryption-cli --decrypt` to the original bytes, and files `aws-encryption-cli
// --encrypt` wrote are decrypted by `phiseal decrypt`. Sizes from empty to many frames of
// either side's frame length (phiseal's CLI default and the aws-encryption-cli's are 65536;
// 4096 is the SDKs' and core's default), with an encryption context, both suites.
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createEnvelope, KmsKeyProvider } from '@phiseal/core';
import { awsClientConfig, createKmsKey, kmsClient } from '@phiseal/test-support';
import { beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error -- plain ESM helper shared with the emulator set-up; it has no type declarations.
import { ensureEsdkCliInstalled, esdkCliPath } from '../../../scripts/emulator.mjs';
import { EXIT_CODES } from '../src/index.js';
import { cli, tempDir } from './helpers.js';

let dir = '';
let keyArn = '';
const CONTEXT = ['tenant=clinic-a', 'purpose=claims'];

/** Runs the aws-encryption-cli against the emulator (its botocore honours AWS_ENDPOINT_URL). */
function awsEncryptionCli(args: string[]): Promise<{ code: number; stderr: string }> {
  const env = {
    PATH: process.env['PATH'] ?? '',
    AWS_ENDPOINT_URL: awsClientConfig().endpoint,
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
    AWS_DEFAULT_REGION: 'us-east-1',
  };
  return new Promise((resolve) => {
    execFile(esdkCliPath as string, args, { env, timeout: 120_000 }, (error, _stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stderr: String(stderr) });
    });
  });
}

const keyArgs = () => ['--wrapping-keys', `key=${keyArn}`, '--commitment-policy', 'require-encrypt-require-decrypt'];
type Metadata = { header: { algorithm: string; frame_length: number; encryption_context: Record<string, string> } };

beforeAll(async () => {
  (ensureEsdkCliInstalled as () => void)();
  dir = tempDir();
  keyArn = await createKmsKey('phiseal aws-encryption-cli interop');
}, 300_000);

describe('phiseal encrypt -> aws-encryption-cli --decrypt', () => {
  it.each([
    ['default (esdk, 64 KiB frames)', 0, []],
    ['default (esdk, 64 KiB frames)', 300_000, []],
    ['--format esdk --frame-length 4096', 70_000, ['--format', 'esdk', '--frame-length', '4096']],
  ])('%s, %i B: the official CLI decrypts it to the original bytes and sees the context', async (_name, size, extra) => {
    const plaintext = randomBytes(size);
    const input = join(dir, `ours-${size}.bin`);
    const sealed = `${input}.phiseal`;
    writeFileSync(input, plaintext);
    const encrypted = await cli(['encrypt', input, '-o', sealed, '--kms-key-id', keyArn, ...CONTEXT.flatMap((c) => ['-c', c]), ...extra]);
    expect(encrypted.code, encrypted.stderr).toBe(EXIT_CODES.ok);
    const out = `${input}.out`;
    const meta = `${input}.meta.json`;
    const run = await awsEncryptionCli(['--decrypt', '--input', sealed, '--output', out, ...keyArgs(), '--encryption-context', ...CONTEXT, '--metadata-output', meta]);
    expect(run.code, run.stderr).toBe(0);
    expect(readFileSync(out).equals(plaintext)).toBe(true);
    const { header } = JSON.parse(readFileSync(meta, 'utf8')) as Metadata;
    expect(header.algorithm).toBe('AES_256_GCM_HKDF_SHA512_COMMIT_KEY');
    expect(header.frame_length).toBe(extra.includes('4096') ? 4096 : 65_536);
    expect(header.encryption_context).toEqual({ tenant: 'clinic-a', purpose: 'claims' });
  });

  it('the official CLI refuses a context phiseal did not store, and a compact file (not an ESDK message)', async () => {
    const input = join(dir, 'ours-negative.bin');
    writeFileSync(input, 'lab result');
    expect((await cli(['encrypt', input, '-o', `${input}.esdk`, '--kms-key-id', keyArn, '-c', 'tenant=clinic-a'])).code).toBe(EXIT_CODES.ok);
    const wrong = await awsEncryptionCli(['--decrypt', '--input', `${input}.esdk`, '--output', `${input}.out1`, ...keyArgs(), '--encryption-context', 'tenant=clinic-b', '-S']);
    // The official CLI reports a context mismatch as a warning with exit 0 and deletes its output.
    expect(wrong.code, wrong.stderr).toBe(0);
    expect(existsSync(`${input}.out1`)).toBe(false);
    expect((await cli(['encrypt', input, '-o', `${input}.compact`, '--kms-key-id', keyArn, '--format', 'compact'])).code).toBe(EXIT_CODES.ok);
    const compact = await awsEncryptionCli(['--decrypt', '--input', `${input}.compact`, '--output', `${input}.out2`, ...keyArgs(), '-S']);
    expect(compact.code).not.toBe(0);
    expect(existsSync(`${input}.out2`)).toBe(false);
  });
});

describe('a 50 MiB stream both ways (the interop size of issue 12)', () => {
  it('phiseal encrypt -> aws-encryption-cli --decrypt, and aws-encryption-cli --encrypt -> phiseal decrypt, in constant memory on both sides', async () => {
    const plaintext = randomBytes(50 * 1024 * 1024);
    const input = join(dir, 'stream-50mib.bin');
    writeFileSync(input, plaintext);
    const digest = createHash('sha256').update(plaintext).digest('hex');
    const fileDigest = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
    expect((await cli(['encrypt', input, '-o', `${input}.phiseal`, '--kms-key-id', keyArn, '-c', CONTEXT[0]!, '-q'])).code).toBe(EXIT_CODES.ok);
    const theirs = await awsEncryptionCli(['--decrypt', '--input', `${input}.phiseal`, '--output', `${input}.out1`, ...keyArgs(), '--encryption-context', CONTEXT[0]!, '-S']);
    expect(theirs.code, theirs.stderr).toBe(0);
    expect(fileDigest(`${input}.out1`)).toBe(digest);
    const sealed = await awsEncryptionCli(['--encrypt', '--input', input, '--output', `${input}.encrypted`, ...keyArgs(), '--encryption-context', CONTEXT[0]!, '-S']);
    expect(sealed.code, sealed.stderr).toBe(0);
    expect((await cli(['decrypt', `${input}.encrypted`, '-o', `${input}.out2`, '--kms-key-id', keyArn, '-c', CONTEXT[0]!, '-q'])).code).toBe(EXIT_CODES.ok);
    expect(fileDigest(`${input}.out2`)).toBe(digest);
  }, 300_000);
});

describe('plaintexts that are a multiple of the frame length', () => {
  // The Python SDK before 4.0, under this CLI, refuses a final frame of the full frame length;
  // phiseal ends such a plaintext with an empty final frame, as the SDKs do (body-framed.ts).
  it('whole messages (envelope.encrypt, as SQS bodies are written) and streams of exactly n frames read in the official CLI', async () => {
    const envelope = createEnvelope({ keys: new KmsKeyProvider({ keyId: keyArn, client: kmsClient() }), frameLength: 4096 });
    for (const size of [4096, 3 * 4096]) {
      const plaintext = randomBytes(size);
      const whole = join(dir, `multiple-${size}.esdk`);
      writeFileSync(whole, await envelope.encrypt(plaintext));
      const input = join(dir, `multiple-${size}.bin`);
      writeFileSync(input, plaintext);
      expect((await cli(['encrypt', input, '-o', `${input}.phiseal`, '--kms-key-id', keyArn, '--frame-length', '4096'])).code).toBe(EXIT_CODES.ok);
      for (const sealed of [whole, `${input}.phiseal`]) {
        const run = await awsEncryptionCli(['--decrypt', '--input', sealed, '--output', `${sealed}.out`, ...keyArgs(), '-S']);
        expect(run.code, run.stderr).toBe(0);
        expect(readFileSync(`${sealed}.out`).equals(plaintext), `${size} B, ${sealed}`).toBe(true);
      }
    }
    envelope.destroy();
  });
});

describe('aws-encryption-cli --encrypt -> phiseal decrypt', () => {
  it.each([
    ['default suite (0x0578, signed), 64 KiB frames', 0, []],
    ['default suite (0x0578, signed), 64 KiB frames', 300_000, []],
    ['suite 0x0478, 4096-byte frames', 70_000, ['--algorithm', 'AES_256_GCM_HKDF_SHA512_COMMIT_KEY', '--frame-length', '4096']],
  ])('%s, %i B: phiseal decrypts the official CLI\'s file to the original bytes', async (_name, size, extra) => {
    const plaintext = randomBytes(size);
    const input = join(dir, `theirs-${size}.bin`);
    const sealed = `${input}.encrypted`;
    writeFileSync(input, plaintext);
    const run = await awsEncryptionCli(['--encrypt', '--input', input, '--output', sealed, ...keyArgs(), '--encryption-context', ...CONTEXT, '-S', ...extra]);
    expect(run.code, run.stderr).toBe(0);
    const out = `${input}.out`;
    const decrypted = await cli(['decrypt', sealed, '-o', out, '--kms-key-id', keyArn, ...CONTEXT.flatMap((c) => ['-c', c])]);
    expect(decrypted.code, decrypted.stderr).toBe(EXIT_CODES.ok);
    expect(readFileSync(out).equals(plaintext)).toBe(true);
    // phiseal's expected-context rule: a pair the file does not store is refused, nothing written.
    const wrong = await cli(['decrypt', sealed, '-o', `${out}.wrong`, '--kms-key-id', keyArn, '-c', 'tenant=clinic-b']);
    expect(wrong.code).toBe(EXIT_CODES.integrity);
  });

  it('a tampered official file is refused by phiseal with the integrity exit code', async () => {
    const input = join(dir, 'theirs-tampered.bin');
    writeFileSync(input, randomBytes(150_000));
    const sealed = `${input}.encrypted`;
    expect((await awsEncryptionCli(['--encrypt', '--input', input, '--output', sealed, ...keyArgs(), '-S'])).code).toBe(0);
    const bytes = readFileSync(sealed);
    bytes[bytes.length - 200]! ^= 0x01;
    writeFileSync(sealed, bytes);
    expect((await cli(['decrypt', sealed, '-o', `${input}.out`, '--kms-key-id', keyArn])).code).toBe(EXIT_CODES.integrity);
  });
});
