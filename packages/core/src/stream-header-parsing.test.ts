// Issue #11, defect 8: the decrypting stream re-joined and re-parsed everything buffered
// on every chunk until the header was complete, so a large header in small chunks cost
// time quadratic in the number of chunks. Measured structurally (bytes joined while the
// stream is read), not by a timing assertion.
import { randomBytes } from 'node:crypto';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createEnvelope } from './envelope.js';
import { LocalKeyProvider } from './local-key-provider.js';

const keys = new LocalKeyProvider({ keyId: 'stream', key: randomBytes(32) });

async function sealed(context: Record<string, string>, plaintext: Buffer): Promise<Buffer> {
  const out: Buffer[] = [];
  const envelope = createEnvelope({ format: 'compact', keys, guard: false });
  await pipeline(Readable.from([plaintext]), envelope.encryptStream({ context, frameLength: 1024 }), new Writable({
    write(chunk: Buffer, _encoding, done) {
      out.push(chunk);
      done();
    },
  }));
  return Buffer.concat(out);
}

async function openInChunks(ciphertext: Buffer, size: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for (let i = 0; i < ciphertext.length; i += size) chunks.push(ciphertext.subarray(i, i + size));
  const out: Buffer[] = [];
  // A fresh envelope without a cache: the key comes from the provider, as in another process.
  const reader = createEnvelope({ format: 'compact', keys, guard: false, cache: false });
  await pipeline(Readable.from(chunks), reader.decryptStream(), new Writable({
    write(chunk: Buffer, _encoding, done) {
      out.push(chunk);
      done();
    },
  }));
  return Buffer.concat(out);
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('stream header parsing', () => {
  it('joins a bounded multiple of the header when ~1 MiB of header arrives in 64-byte chunks', async () => {
    const context: Record<string, string> = {};
    for (let i = 0; i < 16; i++) context[`k${String(i).padStart(2, '0')}`] = 'v'.repeat(60_000);
    const plaintext = randomBytes(5000);
    const ciphertext = await sealed(context, plaintext);
    expect(ciphertext.length).toBeGreaterThan(960_000);

    let joined = 0;
    const concat = Buffer.concat.bind(Buffer);
    // Instrumentation (counts bytes copied by joins), not a stand-in: the real concat runs.
    vi.spyOn(Buffer, 'concat').mockImplementation((list: readonly Uint8Array[], totalLength?: number) => {
      const out = concat(list, totalLength);
      joined += out.length;
      return out;
    });
    const opened = await openInChunks(ciphertext, 64);
    vi.restoreAllMocks();
    expect(opened.equals(plaintext)).toBe(true);
    // Linear: a small constant times the message. The quadratic parser joined ~8 GiB here.
    expect(joined).toBeLessThan(16 * ciphertext.length);
  });

  it('still reads a stream whose header is complete only at the end of the input', async () => {
    const ciphertext = await sealed({ tenant: 'a' }, Buffer.alloc(0));
    for (const size of [1, 7, 64, ciphertext.length]) {
      expect((await openInChunks(ciphertext, size)).length).toBe(0);
    }
  });

  it('refuses a stream that ends inside its header', async () => {
    const ciphertext = await sealed({ tenant: 'a' }, Buffer.from('x'));
    for (const cut of [1, 10, 40]) {
      await expect(openInChunks(ciphertext.subarray(0, cut), 3)).rejects.toMatchObject({ code: 'MALFORMED_CIPHERTEXT' });
    }
  });
});
