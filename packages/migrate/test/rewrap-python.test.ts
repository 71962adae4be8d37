// Key rotation interop with the official S3 Encryption Client for Python (4.0.0, KMS keyring):
// objects it wrote, and objects phiseal wrote with instruction files, are rewrapped by phiseal
// from one KMS key to another; afterwards the Python client reads each one with the new key
// and fails with the old one.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rewrapBucket } from '@phiseal/migrate';
import { createBucket, runPythonPeer, s3Client, scratchDir } from '@phiseal/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { context, kmsKeys, rawObject, readWith, writeWith } from './rewrap-support.js';

const peer = fileURLToPath(new URL('../../s3/test/s3ec_peer.py', import.meta.url));
const client = s3Client();
const dir = scratchDir('rewrap-py');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let bucket: string;
let from: Awaited<ReturnType<typeof kmsKeys>>;
let to: Awaited<ReturnType<typeof kmsKeys>>;
beforeAll(async () => {
  [bucket, from, to] = await Promise.all([createBucket(), kmsKeys(), kmsKeys()]);
});

async function pythonPut(format: 'v2' | 'v3', key: string, body: string): Promise<void> {
  const input = join(dir, `${key.replace(/\W/g, '_')}.in`);
  writeFileSync(input, body);
  const result = await runPythonPeer(peer, ['put', format, from.arn, bucket, key, input, JSON.stringify(context)]);
  if (result.code !== 0) throw new Error(`python put failed: ${result.stderr}`);
}

/** What the Python client reads with `keyArn`, or the class of the exception it raised. */
async function pythonGet(keyArn: string, key: string): Promise<string> {
  const out = join(dir, `${key.replace(/\W/g, '_')}.out`);
  const result = await runPythonPeer(peer, ['get', keyArn, bucket, key, out, JSON.stringify(context)]);
  return result.code === 0 ? readFileSync(out, 'utf8') : `error:${result.stderr.trim()}`;
}

const objects = [
  { key: 'py/python-v3', body: 'written by python v3', write: () => pythonPut('v3', 'py/python-v3', 'written by python v3') },
  { key: 'py/python-v2', body: 'written by python v2', write: () => pythonPut('v2', 'py/python-v2', 'written by python v2') },
  { key: 'py/phiseal-v3-ins', body: 'phiseal v3 instruction file', write: () => writeWith(from.keys, bucket, 'py/phiseal-v3-ins', 'phiseal v3 instruction file', { instructionFile: true }) },
  { key: 'py/phiseal-v2-ins', body: 'phiseal v2 instruction file', write: () => writeWith(from.keys, bucket, 'py/phiseal-v2-ins', 'phiseal v2 instruction file', { format: 'v2', instructionFile: true }) },
];

describe('rotating objects the Python S3EC reads, from one KMS key to another', () => {
  it('the Python client reads every object with the new key, and no longer with the old one', async () => {
    for (const o of objects) await o.write();
    for (const o of objects) expect(await pythonGet(from.arn, o.key)).toBe(o.body);
    const bodies = await Promise.all(objects.map(async (o) => (await rawObject(client, bucket, o.key)).body));
    const report = await rewrapBucket({ client, bucket, prefix: 'py/', from: from.keys, to: to.keys });
    // Four objects rotated; the two instruction files are skipped as parts of their objects.
    expect(report).toMatchObject({ migrated: 4, skipped: 2, failed: 0, refused: 0, complete: true, errors: [] });
    for (const [i, o] of objects.entries()) {
      expect((await rawObject(client, bucket, o.key)).body.equals(bodies[i]!)).toBe(true);
      expect(await pythonGet(to.arn, o.key)).toBe(o.body);
      expect(await pythonGet(from.arn, o.key)).toMatch(/^error:\w+/);
      expect(await readWith(to.keys, bucket, o.key)).toBe(o.body);
    }
  });
});
