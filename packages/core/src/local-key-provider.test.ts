import { chmodSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { scratchDir } from '@phiseal/test-support';
import { describe, expect, it } from 'vitest';
import { LocalKeyProvider } from './local-key-provider.js';

// Removed, key files included, when this file ends (issue 11).
const dir = () => scratchDir('key');

describe('LocalKeyProvider', () => {
  it('generates an owner-only key file that a later run reads back to the same key', async () => {
    const path = join(dir(), 'dev.key');
    const made = LocalKeyProvider.generateFile(path, { keyId: 'dev' });
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const { key, wrapped } = await made.generate({ tenant: 'a' });
    const again = LocalKeyProvider.fromFile(path);
    const unwrapped = await again.unwrap(wrapped, { tenant: 'a' });
    expect(Buffer.from(unwrapped.key).equals(Buffer.from(key))).toBe(true);
    expect(unwrapped.keyId).toBe('dev');
  });

  it('never overwrites an existing key file', () => {
    const path = join(dir(), 'dev.key');
    LocalKeyProvider.generateFile(path);
    expect(() => LocalKeyProvider.generateFile(path)).toThrow(expect.objectContaining({ code: 'KEY_FILE_INVALID' }));
  });

  it('refuses key files readable by others, missing, or not phiseal key files', () => {
    const d = dir();
    const open = join(d, 'open.key');
    LocalKeyProvider.generateFile(open);
    chmodSync(open, 0o644);
    const bad = join(d, 'bad.key');
    writeFileSync(bad, '{"format":"phiseal-local-key-v1","keyId":"x","key":"AAAA"}', { mode: 0o600 });
    const notJson = join(d, 'text.key');
    writeFileSync(notJson, 'hello', { mode: 0o600 });
    // JSON that is not an object (null crashed with a TypeError: exit 70 instead of 4 in the CLI).
    const notObjects = ['null', '[]', '1', '"x"', 'true'].map((text, i) => {
      const path = join(d, `not-object-${i}.key`);
      writeFileSync(path, text, { mode: 0o600 });
      return path;
    });
    for (const path of [open, bad, notJson, ...notObjects, join(d, 'missing.key')]) {
      expect(() => LocalKeyProvider.fromFile(path)).toThrow(expect.objectContaining({ code: 'KEY_FILE_INVALID' }));
    }
  });

  it('refuses a wrapping whose recorded key id is not its own, although its key name matches', async () => {
    // Stored formats that keep the key id next to the ESDK provider information (S3's
    // phiseal wrapping layout) must not decrypt after either is changed: a tampered key id
    // was accepted, so single-bit flips of stored bytes went unnoticed.
    const keys = new LocalKeyProvider({ keyId: 'k', key: new Uint8Array(32).fill(1) });
    const { wrapped } = await keys.generate({ tenant: 'a' });
    const entry = wrapped[0]!;
    for (const keyId of ['j', 'K', 'k ', '']) {
      await expect(keys.unwrap([{ ...entry, keyId }], { tenant: 'a' })).rejects.toMatchObject({ code: 'KEY_NOT_ALLOWED' });
    }
    await expect(keys.unwrap([entry], { tenant: 'a' })).resolves.toMatchObject({ keyId: 'k' });
  });

  it('binds the context: unwrapping under another context fails', async () => {
    const keys = new LocalKeyProvider({ keyId: 'k', key: new Uint8Array(32).fill(1) });
    const { wrapped } = await keys.generate({ tenant: 'a' });
    await expect(keys.unwrap(wrapped, { tenant: 'b' })).rejects.toMatchObject({ code: 'DECRYPTION_FAILED' });
    await expect(keys.unwrap(wrapped, {})).rejects.toMatchObject({ code: 'DECRYPTION_FAILED' });
  });

  it('refuses a bad configuration and becomes useless after destroy', async () => {
    expect(() => new LocalKeyProvider({ keyId: 'k', key: new Uint8Array(16) })).toThrow(
      expect.objectContaining({ code: 'INVALID_CONFIGURATION' }),
    );
    expect(() => new LocalKeyProvider({ keyId: '', key: new Uint8Array(32) })).toThrow(
      expect.objectContaining({ code: 'INVALID_CONFIGURATION' }),
    );
    const keys = new LocalKeyProvider({ keyId: 'k', key: new Uint8Array(32).fill(9) });
    const { wrapped } = await keys.generate({});
    keys.destroy();
    await expect(keys.unwrap(wrapped, {})).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    // Never wraps under the zeroized (publicly known) key.
    await expect(keys.generate({})).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(keys.wrap(new Uint8Array(32), {})).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it('rejects (never throws) a context the ESDK cannot serialize, in generate and wrap', async () => {
    const keys = new LocalKeyProvider({ keyId: 'k', key: new Uint8Array(32).fill(5) });
    const huge = { tenant: 'x'.repeat(65536) };
    const generated = keys.generate(huge);
    const wrapped = keys.wrap(new Uint8Array(32), huge);
    await expect(generated).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(wrapped).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  // Issue #11, defect 6: after destroy the key is 0^32, which anyone can wrap under.
  it('refuses to unwrap after destroy, also a data key forged under the zeroed key', async () => {
    const keys = new LocalKeyProvider({ keyId: 'k', key: new Uint8Array(32).fill(7) });
    keys.destroy();
    const forger = new LocalKeyProvider({ keyId: 'k', key: new Uint8Array(32) });
    const forged = await forger.wrap(new Uint8Array(32).fill(1), { tenant: 'a' });
    await expect(keys.unwrap(forged, { tenant: 'a' })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });
});
