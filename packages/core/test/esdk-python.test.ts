// Interop with the AWS Encryption SDK for Python (aws-encryption-sdk 4.x + Material Providers)
// through KMS on the emulator and a raw AES key: phiseal writes -> Python decrypts (strict
// KMS keyring, discovery keyring, raw AES keyring, multi-EDK) and Python writes -> phiseal
// decrypts, over sizes around a frame and 1 MiB, empty and non-empty contexts, both suites.
// One Python process runs every job (the library takes seconds to load).
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { KmsKeyProvider, LocalKeyProvider, MultiKeyProvider, createEnvelope, type Envelope } from '@phiseal/core';
import { createKmsKey, esdkPythonJobs, kmsClient } from '@phiseal/test-support';
import { beforeAll, describe, expect, it } from 'vitest';

const SIZES = [0, 1, 4095, 4096, 4097, 1024 * 1024];
const SUITES = ['committing', 'committing-signed'] as const;
type Keyring = { kind: 'kms'; keyIds: string[] } | { kind: 'discovery' } | { kind: 'raw-aes'; namespace: string; name: string; key: string };
type Case = { name: string; plaintext: Buffer; context: Record<string, string>; suite: (typeof SUITES)[number]; keyring: Keyring; reader: () => Envelope; writer: () => Envelope };

const peer = esdkPythonJobs('esdk-py');
const rawKey = randomBytes(32);
const cases: Case[] = [];
const jobs: object[] = [];

beforeAll(async () => {
  const [keyA, keyB] = await Promise.all([createKmsKey(), createKmsKey()]);
  const kms = (keyId: string) => new KmsKeyProvider({ keyId, client: kmsClient() });
  const local = () => new LocalKeyProvider({ keyId: 'py-key', key: rawKey });
  const rawRing: Keyring = { kind: 'raw-aes', namespace: 'phiseal-local', name: 'py-key', key: rawKey.toString('hex') };
  for (const suite of SUITES) {
    for (const size of SIZES) {
      const context = size % 2 === 0 ? {} : { tenant: 'clinic-a', 'z-unicode': 'ünï ✓' };
      const plaintext = randomBytes(size);
      cases.push({ name: `${suite}, ${size} B, strict KMS`, plaintext, context, suite, keyring: { kind: 'kms', keyIds: [keyA] }, writer: () => createEnvelope({ keys: kms(keyA), algorithmSuite: suite }), reader: () => createEnvelope({ keys: kms(keyA) }) });
    }
    const plaintext = randomBytes(5000);
    const context = { tenant: 'clinic-b' };
    cases.push({ name: `${suite}, discovery keyring`, plaintext, context, suite, keyring: { kind: 'discovery' }, writer: () => createEnvelope({ keys: kms(keyA), algorithmSuite: suite }), reader: () => createEnvelope({ keys: kms(keyA) }) });
    cases.push({ name: `${suite}, raw AES keyring`, plaintext, context, suite, keyring: rawRing, writer: () => createEnvelope({ keys: local(), algorithmSuite: suite }), reader: () => createEnvelope({ keys: local() }) });
    // Multi-EDK: phiseal wraps under A and B, Python reads with B only; Python wraps under A and B, phiseal reads with B.
    cases.push({ name: `${suite}, multi-EDK`, plaintext, context, suite, keyring: { kind: 'kms', keyIds: [keyA, keyB] }, writer: () => createEnvelope({ keys: new MultiKeyProvider([kms(keyA), kms(keyB)]), algorithmSuite: suite }), reader: () => createEnvelope({ keys: kms(keyB) }) });
  }
  for (const [i, c] of cases.entries()) {
    const sealed = await c.writer().encrypt(c.plaintext, { context: c.context });
    writeFileSync(peer.path(`${i}.ours`), sealed);
    writeFileSync(peer.path(`${i}.plain`), c.plaintext);
    // Python decrypts ours with the keyring under test (for multi-EDK: key B alone).
    const decryptRing = c.keyring.kind === 'kms' && c.keyring.keyIds.length > 1 ? { kind: 'kms', keyIds: [c.keyring.keyIds[1]] } : c.keyring;
    const encryptRing = c.keyring.kind === 'discovery' ? { kind: 'kms', keyIds: [keyA] } : c.keyring;
    jobs.push({ op: 'decrypt', keyring: decryptRing, input: peer.path(`${i}.ours`), output: peer.path(`${i}.ours.out`) });
    jobs.push({ op: 'encrypt', keyring: encryptRing, suite: c.suite, context: c.context, frameLength: 4096, input: peer.path(`${i}.plain`), output: peer.path(`${i}.theirs`) });
  }
  await peer.run(jobs);
}, 300_000);

describe('ESDK messages with the Python AWS Encryption SDK', () => {
  it('covers every case both ways', async () => {
    expect(cases.length).toBe(SUITES.length * (SIZES.length + 3));
    for (const [i, c] of cases.entries()) {
      // Python read phiseal's message.
      expect(peer.output(`${i}.ours.out`).equals(c.plaintext), `${c.name}: Python read ours`).toBe(true);
      const stored = peer.context(`${i}.ours.out`);
      for (const [k, v] of Object.entries(c.context)) expect(stored[k]).toBe(v);
      expect('aws-crypto-public-key' in stored).toBe(c.suite === 'committing-signed');
      // phiseal reads Python's message.
      const theirs = peer.output(`${i}.theirs`);
      expect(theirs[0], c.name).toBe(2);
      expect(theirs.readUInt16BE(1)).toBe(c.suite === 'committing' ? 0x0478 : 0x0578);
      const out = await c.reader().decrypt(theirs, { context: c.context });
      expect(Buffer.from(out.plaintext).equals(c.plaintext), `${c.name}: phiseal read theirs`).toBe(true);
    }
  });
});
