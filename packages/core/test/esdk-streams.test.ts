// ESDK messages as streams, against @aws-crypto/client-node (raw AES keyring, no emulator):
// phiseal's encryptStream output decrypts in the SDK and the SDK's stream output decrypts in
// phiseal's decryptStream, both suites, odd chunkings, a 50 MiB stream each way; a cut at
// any frame boundary, a flipped bit and trailing bytes fail; compact streams still read.
import { CommitmentPolicy, RawAesKeyringNode, RawAesWrappingSuiteIdentifier, buildClient, AlgorithmSuiteIdentifier } from '@aws-crypto/client-node';
import { createHash, randomBytes } from 'node:crypto';
import type { Transform} from 'node:stream';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { LocalKeyProvider, createEnvelope } from '@phiseal/core';
import { describe, expect, it } from 'vitest';

const wrappingKey = randomBytes(32);
const keyring = () =>
  new RawAesKeyringNode({
    keyName: 'stream-key',
    keyNamespace: 'phiseal-local',
    unencryptedMasterKey: new Uint8Array(wrappingKey),
    wrappingSuite: RawAesWrappingSuiteIdentifier.AES256_GCM_IV12_TAG16_NO_PADDING,
  });
const sdk = buildClient(CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT);
const keys = new LocalKeyProvider({ keyId: 'stream-key', key: wrappingKey });

/** Runs `input` (cut into chunks of the given sizes, cycling) through `transform`; returns the output. */
async function through(transform: Transform, input: Buffer, chunkSizes: number[] = [65536]): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for (let at = 0, i = 0; at < input.length; i++) {
    const size = chunkSizes[i % chunkSizes.length]!;
    chunks.push(input.subarray(at, at + size));
    at += size;
  }
  const out: Buffer[] = [];
  await pipeline(Readable.from(chunks), transform, new Writable({ write(chunk: Buffer, _e, done) { out.push(chunk); done(); } }));
  return Buffer.concat(out);
}

const refused = ['DECRYPTION_FAILED', 'MALFORMED_CIPHERTEXT'];
const code = (p: Promise<unknown>) => p.then(() => 'ACCEPTED', (e: { code?: string }) => e.code ?? 'THREW');

describe('ESDK streams', () => {
  for (const algorithmSuite of ['committing', 'committing-signed'] as const) {
    it(`${algorithmSuite}: phiseal streams -> SDK, SDK -> phiseal streams, any chunking`, async () => {
      const envelope = createEnvelope({ keys, algorithmSuite });
      for (const size of [0, 1, 4095, 4096, 4097, 100_000]) {
        const plaintext = randomBytes(size);
        const ours = await through(envelope.encryptStream({ context: { tenant: 'a' } }), plaintext, [1, 7, 4096, 333]);
        expect(Buffer.from((await sdk.decrypt(keyring(), ours)).plaintext).equals(plaintext)).toBe(true);
        expect((await through(envelope.decryptStream({ context: { tenant: 'a' } }), ours, [3, 1000, 5])).equals(plaintext)).toBe(true);
        const suiteId = algorithmSuite === 'committing'
          ? AlgorithmSuiteIdentifier.ALG_AES256_GCM_IV12_TAG16_HKDF_SHA512_COMMIT_KEY
          : AlgorithmSuiteIdentifier.ALG_AES256_GCM_IV12_TAG16_HKDF_SHA512_COMMIT_KEY_ECDSA_P384;
        const theirs = Buffer.from((await sdk.encrypt(keyring(), plaintext, { suiteId, frameLength: 1000 })).result);
        expect((await through(createEnvelope({ keys }).decryptStream(), theirs, [17])).equals(plaintext)).toBe(true);
      }
    });
  }

  it('refuses a stream cut at every frame boundary, a flipped bit and trailing bytes', async () => {
    const envelope = createEnvelope({ keys, frameLength: 64 });
    const sealed = await envelope.encrypt(randomBytes(64 * 5 + 10));
    const header = sealed.length - (5 * (64 + 32) + (10 + 40));
    for (let cut = header; cut < sealed.length; cut += 64 + 32) {
      expect(refused).toContain(await code(through(envelope.decryptStream(), Buffer.from(sealed.subarray(0, cut)))));
    }
    const flipped = Buffer.from(sealed);
    flipped[header + 40]! ^= 1;
    expect(refused).toContain(await code(through(envelope.decryptStream(), flipped)));
    expect(refused).toContain(await code(through(envelope.decryptStream(), Buffer.concat([sealed, Buffer.of(0)]))));
    // Compact streams are still read by the same decryptStream.
    const compact = await through(envelope.encryptStream({ format: 'compact' }), Buffer.from('compact'));
    expect((await through(envelope.decryptStream(), compact)).toString()).toBe('compact');
  });

  it('streams 50 MiB each way with the SDK in constant memory', async () => {
    const size = 50 * 1024 * 1024;
    const source = () => Readable.from((function* () { for (let i = 0; i < size / 65536; i++) yield Buffer.alloc(65536, i & 0xff); })());
    const expected = createHash('sha256');
    for (let i = 0; i < size / 65536; i++) expected.update(Buffer.alloc(65536, i & 0xff));
    const digest = expected.digest('hex');
    const hashing = () => {
      const hash = createHash('sha256');
      return { hash, sink: new Writable({ write(chunk: Buffer, _e, done) { hash.update(chunk); done(); } }) };
    };
    const envelope = createEnvelope({ keys });
    const a = hashing();
    await pipeline(source(), envelope.encryptStream(), sdk.decryptUnsignedMessageStream(keyring()), a.sink);
    expect(a.hash.digest('hex')).toBe(digest);
    const b = hashing();
    await pipeline(source(), sdk.encryptStream(keyring(), { suiteId: AlgorithmSuiteIdentifier.ALG_AES256_GCM_IV12_TAG16_HKDF_SHA512_COMMIT_KEY }), envelope.decryptStream(), b.sink);
    expect(b.hash.digest('hex')).toBe(digest);
  }, 120_000);
});
