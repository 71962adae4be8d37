import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createEnvelope } from './envelope.js';
import { LocalKeyProvider } from './local-key-provider.js';

// guard: false — these properties are about the format; arbitrary strings would (rightly)
// trip the PHI guard on contexts now and then.
const envelope = createEnvelope({ keys: new LocalKeyProvider({ keyId: 'prop', key: randomBytes(32) }), guard: false, format: 'compact' });
const contextArb = fc.dictionary(
  fc.oneof(fc.string({ minLength: 1, maxLength: 12 }), fc.constantFrom('__proto__', 'constructor', 'toString')),
  fc.string({ maxLength: 24 }),
  { maxKeys: 4 },
);
// KEY_NOT_ALLOWED is the answer when a flip lands in the stored key id: a refusal too.
const rejected = (e: { code?: string }) => ['DECRYPTION_FAILED', 'MALFORMED_CIPHERTEXT', 'KEY_NOT_ALLOWED'].includes(e.code ?? '');

describe('message format v1 properties', () => {
  it('round-trips arbitrary bytes under arbitrary contexts, in binary and string form', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 2048 }), contextArb, async (plaintext, context) => {
        const binary = await envelope.encrypt(plaintext, { context });
        const compact = await envelope.encryptToString(plaintext, { context });
        for (const sealed of [binary, compact]) {
          const out = await envelope.decrypt(sealed, { context });
          expect(Buffer.from(out.plaintext).equals(Buffer.from(plaintext))).toBe(true);
          expect(out.context).toEqual(context);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('round-trips arbitrary unicode strings', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'grapheme', maxLength: 200 }), async (value) => {
        const out = await envelope.decrypt(await envelope.encryptToString(value));
        expect(Buffer.from(out.plaintext).toString('utf8')).toBe(value);
      }),
      { numRuns: 150 },
    );
  });

  it('rejects every single-bit flip of a binary message', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 24 }), contextArb, async (plaintext, context) => {
        const sealed = Buffer.from(await envelope.encrypt(plaintext, { context }));
        for (let bit = 0; bit < sealed.length * 8; bit++) {
          const copy = Buffer.from(sealed);
          copy[bit >> 3]! ^= 1 << (bit & 7);
          const error = await envelope.decrypt(copy).then(
            () => ({ code: 'ACCEPTED' }),
            (e: { code?: string }) => e,
          );
          expect(rejected(error), `bit ${bit} accepted`).toBe(true);
        }
      }),
      { numRuns: 12 },
    );
  });

  it('rejects every single-bit flip of a string-form message', async () => {
    const sealed = await envelope.encryptToString('MRN 448812', { context: { tenant: 'a' } });
    for (let i = 0; i < sealed.length; i++) {
      for (let bit = 0; bit < 8; bit++) {
        const flipped = sealed.slice(0, i) + String.fromCharCode(sealed.charCodeAt(i) ^ (1 << bit)) + sealed.slice(i + 1);
        const error = await envelope.decrypt(flipped).then(
          () => ({ code: 'ACCEPTED' }),
          (e: { code?: string }) => e,
        );
        expect(rejected(error), `char ${i} bit ${bit} accepted`).toBe(true);
      }
    }
  });

  it('rejects every truncation and any extension', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 40 }), fc.uint8Array({ minLength: 1, maxLength: 8 }), async (plaintext, extra) => {
        const sealed = Buffer.from(await envelope.encrypt(plaintext));
        for (let length = 0; length < sealed.length; length++) {
          await expect(envelope.decrypt(sealed.subarray(0, length))).rejects.toSatisfy(rejected);
        }
        await expect(envelope.decrypt(Buffer.concat([sealed, extra]))).rejects.toSatisfy(rejected);
      }),
      { numRuns: 10 },
    );
  });
});
