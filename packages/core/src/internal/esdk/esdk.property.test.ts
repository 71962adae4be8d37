// Properties of the ESDK message format through the public API: round trips over arbitrary
// plaintext, context and frame length (both suites), and every single-bit flip, every
// truncation and any extension rejected with the decryption codes.
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createEnvelope } from '../../envelope.js';
import { LocalKeyProvider } from '../../local-key-provider.js';

const keys = new LocalKeyProvider({ keyId: 'prop', key: randomBytes(32) });
// guard: false — arbitrary strings would (rightly) trip the PHI guard on contexts now and then.
const envelopes = {
  committing: createEnvelope({ keys, guard: false }),
  'committing-signed': createEnvelope({ keys, guard: false, algorithmSuite: 'committing-signed' }),
};
const contextArb = fc.dictionary(
  fc.oneof(fc.string({ minLength: 1, maxLength: 12 }), fc.constantFrom('__proto__', 'constructor')).filter((k) => !k.startsWith('aws-crypto-')),
  fc.string({ maxLength: 24 }),
  { maxKeys: 4 },
);
// LIMIT_EXCEEDED: a flip in the EDK count can claim more EDKs than maxWrappedKeys allows;
// KEY_NOT_ALLOWED: a flip in the namespace or key name: refusals all.
const REJECTED = ['DECRYPTION_FAILED', 'MALFORMED_CIPHERTEXT', 'KEY_NOT_ALLOWED', 'LIMIT_EXCEEDED'];
const outcome = (p: Promise<unknown>) => p.then(() => 'ACCEPTED', (e: { code?: string }) => e.code ?? 'THREW');

describe('ESDK message properties', () => {
  for (const [suite, envelope] of Object.entries(envelopes)) {
    it(`${suite}: round-trips arbitrary bytes, contexts and frame lengths, as bytes and base64`, async () => {
      await fc.assert(
        fc.asyncProperty(fc.uint8Array({ maxLength: 3000 }), contextArb, fc.integer({ min: 1, max: 1500 }), async (plaintext, context, frameLength) => {
          const writer = createEnvelope({ keys, guard: false, frameLength, algorithmSuite: suite as 'committing' });
          const binary = await writer.encrypt(plaintext, { context });
          const text = await writer.encryptToString(plaintext, { context });
          for (const sealed of [binary, text]) {
            const out = await envelope.decrypt(sealed, { context });
            expect(Buffer.from(out.plaintext).equals(Buffer.from(plaintext))).toBe(true);
            for (const [k, v] of Object.entries(context)) expect(out.context[k]).toBe(v);
          }
        }),
        { numRuns: suite === 'committing' ? 100 : 30 },
      );
    });

    it(`${suite}: rejects every single-bit flip, truncation and extension`, async () => {
      await fc.assert(
        fc.asyncProperty(fc.uint8Array({ maxLength: 12 }), contextArb, fc.integer({ min: 1, max: 6 }), async (plaintext, context, frameLength) => {
          const writer = createEnvelope({ keys, guard: false, frameLength, algorithmSuite: suite as 'committing' });
          const sealed = Buffer.from(await writer.encrypt(plaintext, { context }));
          for (let bit = 0; bit < sealed.length * 8; bit++) {
            const copy = Buffer.from(sealed);
            copy[bit >> 3]! ^= 1 << (bit & 7);
            expect(REJECTED, `bit ${bit}`).toContain(await outcome(envelope.decrypt(copy)));
          }
          for (let length = 0; length < sealed.length; length++) {
            expect(REJECTED, `length ${length}`).toContain(await outcome(envelope.decrypt(sealed.subarray(0, length))));
          }
          expect(REJECTED).toContain(await outcome(envelope.decrypt(Buffer.concat([sealed, Uint8Array.of(0)]))));
        }),
        { numRuns: suite === 'committing' ? 4 : 2 },
      );
    });
  }

  it('rejects every single-bit flip of the base64 form', async () => {
    const sealed = await envelopes.committing.encryptToString('MRN 448812', { context: { tenant: 'a' } });
    for (let i = 0; i < sealed.length; i++) {
      for (let bit = 0; bit < 8; bit++) {
        const flipped = sealed.slice(0, i) + String.fromCharCode(sealed.charCodeAt(i) ^ (1 << bit)) + sealed.slice(i + 1);
        expect(REJECTED, `char ${i} bit ${bit}`).toContain(await outcome(envelopes.committing.decrypt(flipped)));
      }
    }
  });
});
