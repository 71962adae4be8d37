// Key rotation of ESDK messages is interoperable: messages written by phiseal and by the Python
// AWS Encryption SDK (4.x, Material Providers) under one KMS key, moved by phiseal's
// rewrapMessage to another KMS key, are read by the Python SDK with the new key and refused
// with the old one, for both suites.
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { createEnvelope, KmsKeyProvider, rewrapMessage } from '@phiseal/core';
import { createKmsKey, esdkPythonJobs, kmsClient } from '@phiseal/test-support';
import { describe, expect, it } from 'vitest';

const SUITES = ['committing', 'committing-signed'] as const;
const peer = esdkPythonJobs('rewrap-py');

describe('ESDK messages moved to another KMS key by rewrapMessage', () => {
  it('are read by the Python ESDK with the new key and refused with the old one', async () => {
    const [oldArn, newArn] = await Promise.all([createKmsKey('rewrap py old'), createKmsKey('rewrap py new')]);
    const kms = (keyId: string, suite: (typeof SUITES)[number]) => createEnvelope({ keys: new KmsKeyProvider({ keyId, client: kmsClient() }), algorithmSuite: suite });
    const context = { tenant: 'clinic-a' };
    const cases = SUITES.flatMap((suite) => [0, 4096, 10_000].map((size) => ({ suite, plaintext: randomBytes(size) })));
    // Python writes its half under the old key.
    await peer.run(cases.map((c, i) => {
      writeFileSync(peer.path(`${i}.plain`), c.plaintext);
      return { op: 'encrypt', keyring: { kind: 'kms', keyIds: [oldArn] }, suite: c.suite, context, frameLength: 4096, input: peer.path(`${i}.plain`), output: peer.path(`${i}.theirs`) };
    }));
    const jobs: object[] = [];
    for (const [i, c] of cases.entries()) {
      const from = kms(oldArn, c.suite);
      const to = kms(newArn, c.suite);
      const ours = await from.encrypt(c.plaintext, { context });
      const theirs = readFileSync(peer.path(`${i}.theirs`));
      for (const [who, message] of [['ours', ours], ['theirs', theirs]] as const) {
        writeFileSync(peer.path(`${i}.${who}.moved`), await rewrapMessage(message, { from, to }));
        jobs.push({ op: 'decrypt', keyring: { kind: 'kms', keyIds: [newArn] }, input: peer.path(`${i}.${who}.moved`), output: peer.path(`${i}.${who}.new`) });
        jobs.push({ op: 'decrypt', keyring: { kind: 'kms', keyIds: [oldArn] }, input: peer.path(`${i}.${who}.moved`), output: peer.path(`${i}.${who}.old`) });
      }
    }
    await peer.run(jobs);
    for (const [i, c] of cases.entries()) {
      for (const who of ['ours', 'theirs']) {
        const label = `${c.suite}, ${c.plaintext.length} B, ${who}`;
        expect(peer.output(`${i}.${who}.new`).equals(c.plaintext), label).toBe(true);
        expect(peer.context(`${i}.${who}.new`)).toMatchObject(context);
        expect(readFileSync(peer.path(`${i}.${who}.old.error`), 'utf8'), label).toMatch(/^ERROR /);
      }
    }
  }, 300_000);
});
