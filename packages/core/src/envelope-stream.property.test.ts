import { randomBytes } from 'node:crypto';
import { Readable, Writable, type Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { createEnvelope } from './envelope.js';
import { LocalKeyProvider } from './local-key-provider.js';

const envelope = createEnvelope({ format: 'compact', keys: new LocalKeyProvider({ keyId: 'stream', key: randomBytes(32) }), guard: false });
const FRAME = 1024;

async function through(transform: Transform, chunks: Uint8Array[]): Promise<Buffer> {
  const out: Buffer[] = [];
  await pipeline(Readable.from(chunks.map((c) => Buffer.from(c))), transform, new Writable({
    write(chunk: Buffer, _encoding, done) {
      out.push(chunk);
      done();
    },
  }));
  return Buffer.concat(out);
}

const seal = (plaintext: Buffer, chunkSize = 333, context: Record<string, string> = {}) => {
  const chunks: Buffer[] = [];
  for (let i = 0; i < plaintext.length; i += chunkSize) chunks.push(plaintext.subarray(i, i + chunkSize));
  return through(envelope.encryptStream({ context, frameLength: FRAME }), chunks);
};
const open = (ciphertext: Buffer, chunkSize = 777, context?: Record<string, string>) => {
  const chunks: Buffer[] = [];
  for (let i = 0; i < ciphertext.length; i += chunkSize) chunks.push(ciphertext.subarray(i, i + chunkSize));
  return through(envelope.decryptStream(context ? { context } : {}), chunks);
};
const refused = (p: Promise<unknown>) =>
  p.then(
    () => 'ACCEPTED',
    (e: { code?: string }) => e.code,
  );
const REFUSALS = ['DECRYPTION_FAILED', 'MALFORMED_CIPHERTEXT', 'KEY_NOT_ALLOWED'];

describe('stream format v1', () => {
  it('round-trips every length around the frame size, whatever the chunking', async () => {
    for (const length of [0, 1, FRAME - 1, FRAME, FRAME + 1, 2 * FRAME, 3 * FRAME + 5]) {
      const plaintext = randomBytes(length);
      const sealed = await seal(plaintext, 100, { tenant: 'a' });
      expect((await open(sealed, 1)).equals(plaintext), `length ${length}`).toBe(true);
      expect((await open(sealed, 100_000, { tenant: 'a' })).equals(plaintext)).toBe(true);
    }
  });

  it('round-trips arbitrary data and chunkings', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 5000 }),
        fc.integer({ min: 1, max: 3000 }),
        fc.integer({ min: 1, max: 3000 }),
        async (plaintext, inChunk, outChunk) => {
          const sealed = await seal(Buffer.from(plaintext), inChunk);
          expect((await open(sealed, outChunk)).equals(Buffer.from(plaintext))).toBe(true);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('rejects every single-bit flip of a one-frame stream', async () => {
    const sealed = await seal(Buffer.from('MRN 448812'));
    for (let bit = 0; bit < sealed.length * 8; bit++) {
      const copy = Buffer.from(sealed);
      copy[bit >> 3]! ^= 1 << (bit & 7);
      expect(REFUSALS, `bit ${bit}`).toContain(await refused(open(copy)));
    }
  });

  it('rejects truncation (at and between frame boundaries), reordered frames and extension', async () => {
    const plaintext = randomBytes(3 * FRAME + 10);
    const sealed = await seal(plaintext);
    const headerLength = sealed.length - (3 * (FRAME + 16) + 10 + 16);
    const frame = (i: number) => sealed.subarray(headerLength + i * (FRAME + 16), headerLength + (i + 1) * (FRAME + 16));
    const header = sealed.subarray(0, headerLength);
    const cases = [
      sealed.subarray(0, headerLength + 2 * (FRAME + 16)), // cut after frame 2: no final frame
      sealed.subarray(0, sealed.length - 1),
      sealed.subarray(0, headerLength),
      sealed.subarray(0, 10),
      Buffer.concat([header, frame(1), frame(0), frame(2), sealed.subarray(headerLength + 3 * (FRAME + 16))]),
      Buffer.concat([sealed, Buffer.from([0])]),
      Buffer.concat([sealed, randomBytes(FRAME + 16)]),
    ];
    for (const [i, c] of cases.entries()) expect(REFUSALS, `case ${i}`).toContain(await refused(open(c)));
  });

  it('checks the expected context before unwrapping', async () => {
    const sealed = await seal(Buffer.from('x'), 10, { tenant: 'a' });
    expect(await refused(open(sealed, 50, { tenant: 'b' }))).toBe('CONTEXT_MISMATCH');
  });

  it('copies each byte a bounded number of times, however large the frames and small the chunks', async () => {
    // Joining the pending bytes on every chunk copied up to a frame per chunk: quadratic in
    // the frame length, which a ciphertext's header chooses (up to 16 MiB).
    const frameLength = 1024 * 1024;
    const plaintext = randomBytes(2 * frameLength + 5);
    const chunked = (bytes: Buffer) => Array.from({ length: Math.ceil(bytes.length / 4096) }, (_, i) => bytes.subarray(i * 4096, (i + 1) * 4096));
    const concat = vi.spyOn(Buffer, 'concat');
    try {
      const copied = () => concat.mock.results.reduce((sum, r) => sum + (r.value as Buffer).length, 0);
      const sealed = await through(envelope.encryptStream({ frameLength }), chunked(plaintext));
      const sealing = copied();
      concat.mockClear();
      const opened = await through(envelope.decryptStream(), chunked(sealed));
      expect(opened.equals(plaintext)).toBe(true);
      // The helper joins the output once (1x) and GCM output is joined with its tag (1x).
      expect(sealing).toBeLessThan(4 * plaintext.length);
      expect(copied()).toBeLessThan(4 * sealed.length);
    } finally {
      concat.mockRestore();
    }
  });

  it('refuses frame lengths outside 1 KiB..16 MiB', () => {
    expect(() => envelope.encryptStream({ frameLength: 100 })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});
