import { randomBytes } from 'node:crypto';
import { createGuard } from '@phiseal/guard';
import { describe, expect, it } from 'vitest';
import type { AuditEvent } from './audit.js';
import { DataKeyCache } from './data-key-cache.js';
import { createEnvelope } from './envelope.js';
import { LocalKeyProvider } from './local-key-provider.js';

const local = (keyId = 'test') => new LocalKeyProvider({ keyId, key: randomBytes(32) });
const text = (bytes: Uint8Array) => Buffer.from(bytes).toString('utf8');

describe('createEnvelope', () => {
  it('round-trips bytes and strings in both forms and returns the stored context', async () => {
    const envelope = createEnvelope({ keys: local(), format: 'compact' });
    const context = { tenant: 'clinic-a', purpose: 'lab-results' };
    const binary = await envelope.encrypt('glucose 5.4 mmol/L', { context });
    const compact = await envelope.encryptToString(Uint8Array.of(0, 1, 2, 255), { context });
    expect(compact.startsWith('ps1.')).toBe(true);
    const a = await envelope.decrypt(binary, { context: { tenant: 'clinic-a' } });
    expect(text(a.plaintext)).toBe('glucose 5.4 mmol/L');
    expect(a.context).toEqual(context);
    expect(a.keyId).toBe('test');
    expect([...(await envelope.decrypt(compact)).plaintext]).toEqual([0, 1, 2, 255]);
  });

  it('refuses a decrypt whose expected context pair is absent or different', async () => {
    const envelope = createEnvelope({ keys: local() });
    const sealed = await envelope.encrypt('x', { context: { tenant: 'clinic-a' } });
    await expect(envelope.decrypt(sealed, { context: { tenant: 'clinic-b' } })).rejects.toMatchObject({
      code: 'CONTEXT_MISMATCH',
    });
    await expect(envelope.decrypt(sealed, { context: { site: 'x' } })).rejects.toMatchObject({ code: 'CONTEXT_MISMATCH' });
  });

  it('rejects a message under another local key with KEY_NOT_ALLOWED and under the same key id but other bytes with DECRYPTION_FAILED', async () => {
    const sealed = await createEnvelope({ keys: local('a') }).encrypt('x');
    await expect(createEnvelope({ keys: local('b') }).decrypt(sealed)).rejects.toMatchObject({ code: 'KEY_NOT_ALLOWED' });
    await expect(createEnvelope({ keys: local('a') }).decrypt(sealed)).rejects.toMatchObject({ code: 'DECRYPTION_FAILED' });
  });

  it('gives tampering and garbage one message whatever the cause', async () => {
    const envelope = createEnvelope({ keys: local() });
    const sealed = Buffer.from(await envelope.encrypt('secret'));
    const flippedTag = Buffer.from(sealed);
    flippedTag[flippedTag.length - 1]! ^= 1;
    const errors = await Promise.all(
      [flippedTag, sealed.subarray(0, 10), Buffer.from('garbage'), 'ps1.!!', 'nope'].map((c) =>
        envelope.decrypt(c).then(
          () => ({ code: 'ACCEPTED', message: '' }),
          (e: unknown) => e as Error & { code: string },
        ),
      ),
    );
    for (const error of errors) expect(['DECRYPTION_FAILED', 'MALFORMED_CIPHERTEXT']).toContain(error.code);
    expect(new Set(errors.map((e) => e.message)).size).toBe(1);
  });

  it('refuses PHI in an encryption context before any key is generated', async () => {
    const envelope = createEnvelope({ keys: local(), guard: createGuard() });
    await expect(envelope.encrypt('x', { context: { patientSsn: '123-45-6789' } })).rejects.toMatchObject({
      code: 'PHI_DETECTED',
    });
    expect(envelope.stats().kmsGenerateDataKeyCalls).toBe(0);
  });

  it('reuses one data key for the same context and a new one for another context', async () => {
    const envelope = createEnvelope({ keys: local() });
    for (let i = 0; i < 5; i++) await envelope.encrypt('x', { context: { tenant: 'a' } });
    await envelope.encrypt('x', { context: { tenant: 'b' } });
    const stats = envelope.stats();
    expect(stats.kmsGenerateDataKeyCalls).toBe(2);
    expect(stats.cacheHits).toBe(4);
    expect(stats.encryptions).toBe(6);
  });

  it('decrypts its own messages without unwrapping (the cache is seeded on generation)', async () => {
    const envelope = createEnvelope({ keys: local() });
    const sealed = await envelope.encrypt('x', { context: { tenant: 'a' } });
    await envelope.decrypt(sealed);
    expect(envelope.stats().kmsDecryptCalls).toBe(0);
    const other = createEnvelope({ keys: local('test') });
    await expect(other.decrypt(sealed)).rejects.toMatchObject({ code: 'DECRYPTION_FAILED' });
  });

  it('asks the provider every time with cache: false', async () => {
    const keys = local();
    const envelope = createEnvelope({ keys, cache: false });
    const sealed = await envelope.encrypt('x');
    await envelope.encrypt('y');
    await envelope.decrypt(sealed);
    expect(envelope.stats()).toMatchObject({ kmsGenerateDataKeyCalls: 2, kmsDecryptCalls: 1, cacheHits: 0 });
  });

  it('emits value-free audit events for generation, encryption and decryption, failures included', async () => {
    const events: AuditEvent[] = [];
    const envelope = createEnvelope({ keys: local(), audit: (e) => events.push(e) });
    const sealed = await envelope.encrypt('Jane Doe', { context: { tenant: 'clinic-a' } });
    await envelope.decrypt(sealed);
    await envelope.decrypt(sealed, { context: { tenant: 'clinic-z' } }).catch(() => undefined);
    expect(events.map((e) => `${e.operation}:${e.outcome}`)).toEqual([
      'generateDataKey:success',
      'encrypt:success',
      'decrypt:success',
      'decrypt:failure',
    ]);
    expect(events[3]?.errorCode).toBe('CONTEXT_MISMATCH');
    expect(events[1]).toMatchObject({ contextKeys: ['tenant'], cacheHit: false });
    expect(events[2]?.cacheHit).toBe(true);
    const serialized = JSON.stringify(events);
    for (const secret of ['clinic-a', 'clinic-z', 'Jane']) expect(serialized).not.toContain(secret);
  });

  it('audits data-key uses by adapters, cache hits included, with the wrapping key id', async () => {
    const events: AuditEvent[] = [];
    const envelope = createEnvelope({ keys: local('k1'), audit: (e) => events.push(e) });
    const { wrappedKeys } = await envelope.dataKey({ table: 'patients' });
    await envelope.dataKey({ table: 'patients' });
    await envelope.unwrapDataKey(wrappedKeys, { table: 'patients' });
    await envelope.encrypt('x');
    expect(events.map((e) => `${e.operation}:${e.cacheHit}:${e.keyId}`)).toEqual([
      'generateDataKey:false:k1',
      'generateDataKey:true:k1',
      'unwrapDataKey:true:k1',
      'generateDataKey:false:k1',
      'encrypt:false:k1',
    ]);
  });

  it('keeps working when the audit sink throws', async () => {
    const envelope = createEnvelope({
      keys: local(),
      audit: () => {
        throw new Error('sink down');
      },
    });
    expect(text((await envelope.decrypt(await envelope.encrypt('x'))).plaintext)).toBe('x');
  });

  it('hands adapters cached data keys they own, and unwraps them through the cache', async () => {
    const envelope = createEnvelope({ keys: local() });
    const context = { 'phiseal:table': 'patients' };
    const a = await envelope.dataKey(context);
    const b = await envelope.dataKey(context, { messages: 10, bytes: 1000 });
    expect(Buffer.from(a.key).equals(Buffer.from(b.key))).toBe(true);
    a.key.fill(0);
    expect(Buffer.from(b.key).equals(Buffer.alloc(32))).toBe(false);
    const unwrapped = await createEnvelope({ keys: local('other') })
      .unwrapDataKey(a.wrapped, context)
      .catch((e: { code: string }) => e.code);
    expect(unwrapped).toBe('KEY_NOT_ALLOWED');
    expect(Buffer.from(await envelope.unwrapDataKey(b.wrappedKeys, context)).equals(Buffer.from(b.key))).toBe(true);
  });

  it('keeps no data key from an operation still in flight when destroy() is called', async () => {
    const inner = local();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const keys = { id: inner.id, wrap: inner.wrap.bind(inner), unwrap: inner.unwrap.bind(inner), generate: async (c: Record<string, string>) => {
      await gate;
      return inner.generate(c);
    } };
    const cache = new DataKeyCache();
    const envelope = createEnvelope({ keys, cache });
    const sealing = envelope.encrypt('x', { context: { tenant: 'a' } });
    envelope.destroy();
    release();
    await sealing;
    expect(cache.size).toBe(0);
  });

  it('refuses bad arguments and use after destroy with typed errors', async () => {
    expect(() => createEnvelope({} as never)).toThrow(expect.objectContaining({ code: 'INVALID_CONFIGURATION' }));
    const envelope = createEnvelope({ keys: local(), cache: new DataKeyCache() });
    await expect(envelope.encrypt(42 as never)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(envelope.encrypt('x', { context: { a: 1 } as never })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(envelope.dataKey({}, { messages: 0 })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    envelope.destroy();
    await expect(envelope.encrypt('x')).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it('runs onDestroy listeners once on destroy, at once when already destroyed, and not after removal', () => {
    const envelope = createEnvelope({ keys: local() });
    const calls: string[] = [];
    envelope.onDestroy(() => calls.push('a'));
    envelope.onDestroy(() => {
      throw new Error('a failing listener does not stop the others');
    });
    const remove = envelope.onDestroy(() => calls.push('removed'));
    envelope.onDestroy(() => calls.push('b'));
    remove();
    envelope.destroy();
    envelope.destroy();
    envelope.onDestroy(() => calls.push('late'));
    expect(calls).toEqual(['a', 'b', 'late']);
  });
});
