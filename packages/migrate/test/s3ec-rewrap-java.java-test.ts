// Key rotation interop with the official S3 Encryption Client for Java (4.0.1, KMS keyring;
// test/java-peer, Peer.S3ecWrite / S3ecRead): objects it wrote in both formats, with content
// metadata in object metadata and in instruction files, are rewrapped by phiseal from one KMS
// key to another; afterwards the Java client reads each one with the new key and fails with
// the old one.
import { rewrapBucket } from '@phiseal/migrate';
import { awsClientConfig, createBucket, s3Client } from '@phiseal/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startJavaPeer, type JavaPeer } from '../../dynamodb/test/support/java-peer.js';
import { context, kmsKeys, rawObject, readWith } from './rewrap-support.js';

const client = s3Client();
let peer: JavaPeer;
let bucket: string;
let from: Awaited<ReturnType<typeof kmsKeys>>;
let to: Awaited<ReturnType<typeof kmsKeys>>;
beforeAll(async () => {
  peer = await startJavaPeer();
  [bucket, from, to] = await Promise.all([createBucket(), kmsKeys(), kmsKeys()]);
});
afterAll(async () => {
  await peer.close();
});

const endpoint = () => awsClientConfig().endpoint;

async function javaPut(key: string, body: string, format: 'v2' | 'v3', instructionFile: boolean): Promise<void> {
  await peer.ok({ op: 's3ecPut', endpoint: endpoint(), keyArn: from.arn, bucket, key, context, format, instructionFile, body: Buffer.from(body).toString('base64') });
}

/** What the Java client reads with `keyArn`, or `refused: <its error>` when it throws. */
async function javaGet(keyArn: string, key: string): Promise<string> {
  const reply = await peer.request({ op: 's3ecGet', endpoint: endpoint(), keyArn, bucket, key, context });
  return reply['ok'] === true ? Buffer.from(String(reply['body']), 'base64').toString() : `refused: ${String(reply['error'])}`;
}

const objects = (['v3', 'v2'] as const).flatMap((format) =>
  [false, true].map((instructionFile) => ({ key: `java/${format}-${instructionFile ? 'instruction' : 'metadata'}`, body: `java ${format} ${instructionFile}`, format, instructionFile })),
);

describe('rotating objects the Java S3EC wrote, from one KMS key to another', () => {
  it('the Java client reads every object with the new key, and no longer with the old one', async () => {
    for (const o of objects) await javaPut(o.key, o.body, o.format, o.instructionFile);
    for (const o of objects) expect(await javaGet(from.arn, o.key)).toBe(o.body);
    const bodies = await Promise.all(objects.map(async (o) => (await rawObject(client, bucket, o.key)).body));
    const report = await rewrapBucket({ client, bucket, prefix: 'java/', from: from.keys, to: to.keys });
    // Four objects rotated; the two instruction files are skipped as parts of their objects.
    expect(report).toMatchObject({ migrated: 4, skipped: 2, failed: 0, refused: 0, complete: true, errors: [] });
    for (const [i, o] of objects.entries()) {
      expect((await rawObject(client, bucket, o.key)).body.equals(bodies[i]!)).toBe(true);
      expect(await javaGet(to.arn, o.key)).toBe(o.body);
      expect(await javaGet(from.arn, o.key)).toMatch(/^refused: /);
      expect(await readWith(to.keys, bucket, o.key)).toBe(o.body);
    }
  });
});
