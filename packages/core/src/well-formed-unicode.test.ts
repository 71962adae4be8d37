// Issue #11, defect 7: a lone surrogate encodes as U+FFFD, so the stored context would
// never read back as the one bound, and two contexts could share one encoding.
import { describe, expect, it } from 'vitest';
import { createEnvelope } from './envelope.js';
import { LocalKeyProvider } from './local-key-provider.js';
import { encodeWrappedKeys } from './wrapped-keys.js';

const keys = () => new LocalKeyProvider({ keyId: 'k', key: new Uint8Array(32).fill(3) });
const LONE = ['\uD800', '\uDFFF', 'a\uD83Db', 'x\uDE00', '\uDE00\uD83D'];

describe('strings that are not well-formed Unicode', () => {
  it('are refused as context keys and values on encrypt, data keys and streams, before any key call', async () => {
    const envelope = createEnvelope({ keys: keys(), guard: false });
    for (const bad of LONE) {
      for (const context of [{ t: bad }, { [bad]: 'v' }]) {
        await expect(envelope.encrypt('x', { context })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
        await expect(envelope.dataKey(context)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
        expect(() => envelope.encryptStream({ context })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
      }
    }
    expect(envelope.stats().kmsGenerateDataKeyCalls).toBe(0);
  });

  it('are refused in an expected context on decrypt', async () => {
    const envelope = createEnvelope({ keys: keys(), guard: false });
    const sealed = await envelope.encrypt('x', { context: { t: '\uFFFD' } });
    // Before the fix '\uD800' matched the stored U+FFFD: two contexts, one encoding.
    await expect(envelope.decrypt(sealed, { context: { t: '\uD800' } })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect((await envelope.decrypt(sealed, { context: { t: '\uFFFD' } })).context).toEqual({ t: '\uFFFD' });
  });

  it('are refused as key ids and provider names', () => {
    expect(() => new LocalKeyProvider({ keyId: 'k\uD800', key: new Uint8Array(32) })).toThrow(
      expect.objectContaining({ code: 'INVALID_CONFIGURATION' }),
    );
    const ciphertext = new Uint8Array(48);
    expect(() => encodeWrappedKeys([{ provider: 'local', keyId: 'k\uDC00', ciphertext }])).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
    expect(() => encodeWrappedKeys([{ provider: 'p\uD800', keyId: 'k', ciphertext }])).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
  });

  it('still accepts surrogate pairs (astral characters)', async () => {
    const envelope = createEnvelope({ keys: keys(), guard: false });
    const context = { 'clinic\u{1F3E5}': 'ward \u{1F600}' };
    const sealed = await envelope.encrypt('x', { context });
    const other = createEnvelope({ keys: keys(), guard: false, cache: false });
    expect((await other.decrypt(sealed, { context })).context).toEqual(context);
  });
});
