// Issue #11, defect 5: a DataKeyCache shared by two envelopes must never let one use a data
// key that only the other's provider could unwrap. The cache was keyed by `keys.id`, which
// names the key but not the authority (KMS client and credentials, decryptKeyIds, local
// key bytes). Each case below shows the second provider alone is refused, then that
// sharing the cache does not change that. Real KMS calls on the emulator; call counts
// come from a counting middleware on the real client (instrumentation, not a mock).
import { KMSClient } from '@aws-sdk/client-kms';
import { DataKeyCache, KmsKeyProvider, LocalKeyProvider, createEnvelope, type KeyProvider } from '@phiseal/core';
import { awsClientConfig, createKmsKey, kmsClient } from '@phiseal/test-support';
import { describe, expect, it } from 'vitest';

const code = (p: Promise<unknown>): Promise<string> =>
  p.then(
    () => 'ACCEPTED',
    (e: { code?: string }) => e.code ?? 'UNTYPED',
  );

/** Encrypts with `writer` through `cache`, then asks `reader` (alone, then through the same cache) to decrypt. */
async function crossRead(writer: KeyProvider, reader: KeyProvider): Promise<{ alone: string; shared: string }> {
  const cache = new DataKeyCache();
  const sealed = await createEnvelope({ keys: writer, cache }).encrypt('A1C 7.2%', { context: { tenant: 'a' } });
  const alone = await code(createEnvelope({ keys: reader, cache: new DataKeyCache() }).decrypt(sealed));
  const shared = await code(createEnvelope({ keys: reader, cache }).decrypt(sealed));
  return { alone, shared };
}

describe('a DataKeyCache shared by envelopes with different providers', () => {
  it('does not grant a key outside the reader provider decryptKeyIds', async () => {
    const [a, b] = await Promise.all([createKmsKey(), createKmsKey()]);
    const writer = new KmsKeyProvider({ keyId: a, client: kmsClient() });
    // Same keyId (so the same `id`), but it may only unwrap under key b.
    const reader = new KmsKeyProvider({ keyId: a, client: kmsClient(), decryptKeyIds: [b] });
    expect(await crossRead(writer, reader)).toEqual({ alone: 'KEY_NOT_ALLOWED', shared: 'KEY_NOT_ALLOWED' });
  });

  it('does not grant a key to a provider whose KMS client cannot use it', async () => {
    const a = await createKmsKey();
    const writer = new KmsKeyProvider({ keyId: a, client: kmsClient() });
    // Another region's KMS does not hold key a: KMS itself refuses this client.
    const reader = new KmsKeyProvider({ keyId: a, client: new KMSClient({ ...awsClientConfig(), region: 'eu-west-3' }) });
    const { alone, shared } = await crossRead(writer, reader);
    expect(['KMS_UNAVAILABLE', 'KMS_KEY_UNUSABLE']).toContain(alone);
    expect(shared).toBe(alone);
  });

  it('does not grant a key to a local provider with the same key id but other key bytes', async () => {
    const writer = new LocalKeyProvider({ keyId: 'shared-name', key: new Uint8Array(32).fill(1) });
    const reader = new LocalKeyProvider({ keyId: 'shared-name', key: new Uint8Array(32).fill(2) });
    expect(await crossRead(writer, reader)).toEqual({ alone: 'DECRYPTION_FAILED', shared: 'DECRYPTION_FAILED' });
  });

  it('is still shared by envelopes over the same provider object', async () => {
    const keys = new LocalKeyProvider({ keyId: 'k', key: new Uint8Array(32).fill(5) });
    const cache = new DataKeyCache();
    const sealed = await createEnvelope({ keys, cache }).encrypt('x', { context: { tenant: 'a' } });
    const reader = createEnvelope({ keys, cache });
    expect(Buffer.from((await reader.decrypt(sealed)).plaintext).toString()).toBe('x');
    expect(reader.stats()).toMatchObject({ cacheHits: 1, kmsDecryptCalls: 0 });
  });
});
