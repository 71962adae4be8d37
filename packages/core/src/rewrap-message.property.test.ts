import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createEnvelope } from './envelope.js';
import { LocalKeyProvider } from './local-key-provider.js';
import { rewrapMessage } from './rewrap-message.js';

// guard: false — these properties are about the formats; arbitrary strings would (rightly)
// trip the PHI guard on contexts now and then.
const keys = (name: string) => new LocalKeyProvider({ keyId: name, key: randomBytes(32) });
const [oldKeys, newKeys] = [keys('old'), keys('new')];
const envelopes = (suite: 'committing' | 'committing-signed') => ({
  from: createEnvelope({ keys: oldKeys, guard: false, algorithmSuite: suite }),
  to: createEnvelope({ keys: newKeys, guard: false, algorithmSuite: suite }),
});
const contextArb = fc.dictionary(
  fc.string({ minLength: 1, maxLength: 12 }).filter((k) => !k.startsWith('aws-crypto-')),
  fc.string({ maxLength: 24 }),
  { maxKeys: 4 },
);
const codeOf = (p: Promise<unknown>): Promise<string> =>
  p.then(
    () => 'accepted',
    (e: { code?: string }) => e.code ?? 'other',
  );

describe('rewrapMessage properties', () => {
  it.each(['committing', 'committing-signed'] as const)(
    'ESDK and compact messages, binary and string (%s): the new key reads the same plaintext and context, the old key is refused',
    async (suite) => {
      const { from, to } = envelopes(suite);
      await fc.assert(
        fc.asyncProperty(fc.uint8Array({ maxLength: 9000 }), contextArb, fc.constantFrom('esdk' as const, 'compact' as const), fc.boolean(), async (plaintext, context, format, asString) => {
          const sealed = asString ? await from.encryptToString(plaintext, { context, format }) : await from.encrypt(plaintext, { context, format });
          const moved = await rewrapMessage(sealed, { from, to });
          expect(typeof moved).toBe(typeof sealed);
          if (typeof moved === 'string') expect(moved.startsWith('ps1.')).toBe(format === 'compact');
          else expect(moved[0]).toBe(format === 'esdk' ? 2 : 1);
          const out = await to.decrypt(moved, { context });
          expect(Buffer.from(out.plaintext).equals(Buffer.from(plaintext))).toBe(true);
          expect(Object.fromEntries(Object.entries(out.context).filter(([k]) => !k.startsWith('aws-crypto-')))).toEqual(context);
          expect(await codeOf(from.decrypt(moved))).toBe('KEY_NOT_ALLOWED');
          // Moving it again from the old key is refused the same way: it is not under `from` any more.
          expect(await codeOf(rewrapMessage(moved, { from, to }))).toBe('KEY_NOT_ALLOWED');
        }),
        { numRuns: 60 },
      );
    },
  );

  it('never re-keys a message that does not verify: every single-bit flip is refused', async () => {
    const { from, to } = envelopes('committing');
    for (const format of ['esdk', 'compact'] as const) {
      const sealed = Buffer.from(await from.encrypt('glucose 5.4 mmol/L', { context: { tenant: 'a' }, format }));
      for (let bit = 0; bit < sealed.length * 8; bit++) {
        const flipped = Buffer.from(sealed);
        flipped[bit >> 3]! ^= 1 << (bit & 7);
        // LIMIT_EXCEEDED: the flip raised the EDK count over maxWrappedKeys (refused before any key call).
        expect(['DECRYPTION_FAILED', 'MALFORMED_CIPHERTEXT', 'KEY_NOT_ALLOWED', 'CONTEXT_MISMATCH', 'LIMIT_EXCEEDED'], `${format} bit ${bit}`).toContain(await codeOf(rewrapMessage(flipped, { from, to })));
      }
    }
  });

  it('checks an expected context before re-keying, and refuses bad options', async () => {
    const { from, to } = envelopes('committing');
    const sealed = await from.encryptToString('x', { context: { tenant: 'a' } });
    expect(await codeOf(rewrapMessage(sealed, { from, to, context: { tenant: 'b' } }))).toBe('CONTEXT_MISMATCH');
    expect(await codeOf(rewrapMessage(sealed, { from, to: from }))).toBe('INVALID_ARGUMENT');
    expect(await codeOf(rewrapMessage(42 as unknown as string, { from, to }))).toBe('INVALID_ARGUMENT');
    expect(await codeOf(rewrapMessage('not a message', { from, to }))).toBe('MALFORMED_CIPHERTEXT');
  });
});
