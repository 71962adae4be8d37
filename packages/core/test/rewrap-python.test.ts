// Key rotation of ESDK messages is interoperable: messages written by phiseal and by the Python
// AWS Encryption SDK (4.x, Material Providers) under one KMS key, moved by phiseal's
// rewrapMessage to another KMS key, are read by the Python SDK with the new key and refused
// with the old one, for both suites.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createEnvelope, KmsKeyProvider, rewrapMessage } from '@phiseal/core';
import { createKmsKey, kmsClient, runPythonPeer } from '@phiseal/test-support';
import { afterAll, describe, expect, it } from 'vitest';

const PEER = fileURLToPath(new URL('./esdk_peer.py', import.meta.url));
const SUITES = ['committing', 'committing-signed'] as const;
const dir = mkdtempSync(join(tmpdir(), 'phiseal-rewrap-py-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function python(jobs: object[]): Promise<void> {
  writeFileSync(join(dir, 'jobs.json'), JSON.stringify(jobs));
  const run = await runPythonPeer(PEER, [join(dir, 'jobs.json')]);
  expect(run.code, run.stderr).toBe(0);
}

describe('ESDK messages moved to another KMS key by rewrapMessage', () => {
  it('are read by the Python ESDK with the new key and refused with the old one', async () => {
    const [oldArn, newArn] = await Promise.all([createKmsKey('rewrap py old'), createKmsKey('rewrap py new')]);
    const kms = (keyId: string, suite: (typeof SUITES)[number]) => createEnvelope({ keys: new KmsKeyProvider({ keyId, client: kmsClient() }), algorithmSuite: suite });
    const context = { tenant: 'clinic-a' };
    const cases = SUITES.flatMap((suite) => [0, 4096, 10_000].map((size) => ({ suite, plaintext: randomBytes(size) })));
    // Python writes its half under the old key.
    await python(cases.map((c, i) => {
      writeFileSync(join(dir, `${i}.plain`), c.plaintext);
      return { op: 'encrypt', keyring: { kind: 'kms', keyIds: [oldArn] }, suite: c.suite, context, frameLength: 4096, input: join(dir, `${i}.plain`), output: join(dir, `${i}.theirs`) };
    }));
    const jobs: object[] = [];
    for (const [i, c] of cases.entries()) {
      const from = kms(oldArn, c.suite);
      const to = kms(newArn, c.suite);
      const ours = await from.encrypt(c.plaintext, { context });
      const theirs = readFileSync(join(dir, `${i}.theirs`));
      for (const [who, message] of [['ours', ours], ['theirs', theirs]] as const) {
        writeFileSync(join(dir, `${i}.${who}.moved`), await rewrapMessage(message, { from, to }));
        jobs.push({ op: 'decrypt', keyring: { kind: 'kms', keyIds: [newArn] }, input: join(dir, `${i}.${who}.moved`), output: join(dir, `${i}.${who}.new`) });
        jobs.push({ op: 'decrypt', keyring: { kind: 'kms', keyIds: [oldArn] }, input: join(dir, `${i}.${who}.moved`), output: join(dir, `${i}.${who}.old`) });
      }
    }
    await python(jobs);
    for (const [i, c] of cases.entries()) {
      for (const who of ['ours', 'theirs']) {
        const label = `${c.suite}, ${c.plaintext.length} B, ${who}`;
        expect(existsSync(join(dir, `${i}.${who}.new.error`)), label).toBe(false);
        expect(readFileSync(join(dir, `${i}.${who}.new`)).equals(c.plaintext), label).toBe(true);
        expect(JSON.parse(readFileSync(join(dir, `${i}.${who}.new.context`), 'utf8'))).toMatchObject(context);
        expect(readFileSync(join(dir, `${i}.${who}.old.error`), 'utf8'), label).toMatch(/^ERROR /);
      }
    }
  }, 300_000);
});
