// Core against KMS on the emulator, through the real @aws-sdk/client-kms. Request counts
// come from a counting middleware on the real client (instrumentation, not a mock).
import { CreateAliasCommand, DescribeKeyCommand, DisableKeyCommand, KMSClient, NotFoundException } from '@aws-sdk/client-kms';
import { DataKeyCache, KmsKeyProvider, LocalKeyProvider, MultiKeyProvider, createEnvelope } from '@phiseal/core';
import { awsClientConfig, createKmsKey, kmsClient, uniqueName } from '@phiseal/test-support';
import { describe, expect, it } from 'vitest';

function countingClient(): { client: KMSClient; calls: Record<string, number> } {
  const client = kmsClient();
  const calls: Record<string, number> = {};
  client.middlewareStack.add(
    (next, context) => (args) => {
      calls[context.commandName ?? '?'] = (calls[context.commandName ?? '?'] ?? 0) + 1;
      return next(args);
    },
    { step: 'initialize', name: 'countCalls' },
  );
  return { client, calls };
}

describe('KmsKeyProvider on the emulator', () => {
  it('round-trips with the context bound in KMS and records the key ARN', async () => {
    const keyId = await createKmsKey();
    const envelope = createEnvelope({ keys: new KmsKeyProvider({ keyId, client: kmsClient() }) });
    const sealed = await envelope.encrypt('HbA1c 6.1%', { context: { tenant: 'clinic-a' } });
    const reader = createEnvelope({ keys: new KmsKeyProvider({ keyId, client: kmsClient() }) });
    const out = await reader.decrypt(sealed, { context: { tenant: 'clinic-a' } });
    expect(Buffer.from(out.plaintext).toString()).toBe('HbA1c 6.1%');
    expect(out.keyId).toBe(keyId);
    expect(reader.stats().kmsDecryptCalls).toBe(1);
  });

  it('refuses a data key wrapped under another KMS key before calling KMS', async () => {
    const [a, b] = await Promise.all([createKmsKey(), createKmsKey()]);
    const sealed = await createEnvelope({ keys: new KmsKeyProvider({ keyId: a, client: kmsClient() }) }).encrypt('x');
    const { client, calls } = countingClient();
    const other = createEnvelope({ keys: new KmsKeyProvider({ keyId: b, client }) });
    await expect(other.decrypt(sealed)).rejects.toMatchObject({ code: 'KEY_NOT_ALLOWED' });
    expect(calls).toEqual({});
    // Allowed explicitly, by bare key id, it decrypts.
    const allowed = createEnvelope({ keys: new KmsKeyProvider({ keyId: b, client, decryptKeyIds: [b, a.split('/').pop()!] }) });
    expect(Buffer.from((await allowed.decrypt(sealed)).plaintext).toString()).toBe('x');
  });

  it('resolves aliases in decryptKeyIds to key ARNs', async () => {
    const keyId = await createKmsKey();
    const alias = `alias/${uniqueName('phiseal')}`;
    await kmsClient().send(new CreateAliasCommand({ AliasName: alias, TargetKeyId: keyId }));
    const envelope = createEnvelope({ keys: new KmsKeyProvider({ keyId: alias, client: kmsClient() }) });
    const sealed = await envelope.encrypt('x');
    const reader = createEnvelope({ keys: new KmsKeyProvider({ keyId: alias, client: kmsClient() }) });
    expect(Buffer.from((await reader.decrypt(sealed)).plaintext).toString()).toBe('x');
  });

  it('fails with DECRYPTION_FAILED when the stored context was altered (KMS refuses the unwrap)', async () => {
    const keyId = await createKmsKey();
    const sealed = Buffer.from(
      await createEnvelope({ keys: new KmsKeyProvider({ keyId, client: kmsClient() }) }).encrypt('x', { context: { t: 'aa' } }),
    );
    // The stored pair t=aa: u16 length 1, "t", u16 length 2, "aa" (docs/format.md).
    const pair = Buffer.from([0, 1, 0x74, 0, 2, 0x61, 0x61]);
    const index = sealed.indexOf(pair);
    expect(index).toBeGreaterThan(0);
    sealed[index + pair.length - 1] = 'b'.charCodeAt(0);
    const reader = createEnvelope({ keys: new KmsKeyProvider({ keyId, client: kmsClient() }) });
    await expect(reader.decrypt(sealed)).rejects.toMatchObject({ code: 'DECRYPTION_FAILED' });
  });

  it('coalesces 100 concurrent cold encrypts into one GenerateDataKey', async () => {
    const keyId = await createKmsKey();
    const { client, calls } = countingClient();
    const envelope = createEnvelope({ keys: new KmsKeyProvider({ keyId, client }) });
    const sealed = await Promise.all(Array.from({ length: 100 }, (_, i) => envelope.encrypt(`result ${i}`, { context: { lab: 'x' } })));
    expect(calls['GenerateDataKeyCommand']).toBe(1);
    expect(envelope.stats()).toMatchObject({ kmsGenerateDataKeyCalls: 1, coalescedMisses: 99, encryptions: 100 });
    // And 100 concurrent cold decrypts in another process share one Decrypt.
    const reader = countingClient();
    const other = createEnvelope({ keys: new KmsKeyProvider({ keyId, client: reader.client }) });
    await Promise.all(sealed.map((s) => other.decrypt(s)));
    expect(reader.calls['DecryptCommand']).toBe(1);
  });

  it('uses at most ceil(n / maxMessagesPerKey) GenerateDataKey calls', async () => {
    const keyId = await createKmsKey();
    const { client, calls } = countingClient();
    const envelope = createEnvelope({
      keys: new KmsKeyProvider({ keyId, client }),
      cache: new DataKeyCache({ maxMessagesPerKey: 300 }),
    });
    for (let i = 0; i < 1000; i++) await envelope.encrypt('x');
    expect(calls['GenerateDataKeyCommand']).toBe(Math.ceil(1000 / 300));
  });

  it('decrypts through a MultiKeyProvider after the primary KMS key is disabled', async () => {
    const [primary, recovery] = await Promise.all([createKmsKey(), createKmsKey()]);
    // moto records DisableKey (KeyState "Disabled") but still decrypts with the key; real KMS
    // answers DisabledException. That refusal is the one fault injected here, on the
    // primary's client only, and only once moto reports the key disabled.
    const primaryClient = () => {
      const client = kmsClient();
      client.middlewareStack.add(
        (next, context) => async (args) => {
          if (context.commandName === 'DecryptCommand') {
            const state = await kmsClient().send(new DescribeKeyCommand({ KeyId: primary }));
            if (state.KeyMetadata?.KeyState === 'Disabled') {
              throw Object.assign(new Error('key is disabled'), { name: 'DisabledException' });
            }
          }
          return next(args);
        },
        { step: 'initialize', name: 'realKmsDisabledKeyBehaviour' },
      );
      return client;
    };
    const keys = () =>
      new MultiKeyProvider([
        new KmsKeyProvider({ keyId: primary, client: primaryClient() }),
        new KmsKeyProvider({ keyId: recovery, client: kmsClient() }),
      ]);
    const sealed = await createEnvelope({ keys: keys() }).encrypt('MRN 448812', { context: { tenant: 'a' } });
    // moto's DisableKey takes the bare key id, not the ARN.
    await kmsClient().send(new DisableKeyCommand({ KeyId: primary.split('/').pop()! }));
    const primaryOnly = createEnvelope({ keys: new KmsKeyProvider({ keyId: primary, client: primaryClient() }) });
    // A disabled key is refused for good: not retryable, the SDK error kept as the cause.
    await expect(primaryOnly.decrypt(sealed)).rejects.toMatchObject({ code: 'KMS_KEY_UNUSABLE', retryable: false });
    const out = await createEnvelope({ keys: keys() }).decrypt(sealed);
    expect(Buffer.from(out.plaintext).toString()).toBe('MRN 448812');
    expect(out.keyId).toBe(recovery);
  });

  it('mixes KMS and a local recovery key', async () => {
    const keyId = await createKmsKey();
    const local = new LocalKeyProvider({ keyId: 'break-glass', key: new Uint8Array(32).fill(4) });
    const sealed = await createEnvelope({
      keys: new MultiKeyProvider([new KmsKeyProvider({ keyId, client: kmsClient() }), local]),
    }).encrypt('x');
    expect((await createEnvelope({ keys: local }).decrypt(sealed)).keyId).toBe('break-glass');
  });

  it('keeps encrypting with a cached key while KMS is down, then fails with KMS_UNAVAILABLE within a bound', async () => {
    const keyId = await createKmsKey();
    let down = false;
    const client = kmsClient();
    // Fault injection the emulator cannot produce: the network to KMS going away.
    client.middlewareStack.add(
      (next) => (args) => (down ? Promise.reject(Object.assign(new Error('connect ECONNREFUSED'), { name: 'TimeoutError' })) : next(args)),
      { step: 'finalizeRequest', name: 'kmsOutage' },
    );
    const envelope = createEnvelope({
      keys: new KmsKeyProvider({ keyId, client, timeoutMs: 2000 }),
      cache: new DataKeyCache({ maxMessagesPerKey: 3 }),
    });
    await envelope.encrypt('1');
    down = true;
    await envelope.encrypt('2');
    await envelope.encrypt('3');
    const started = Date.now();
    await expect(envelope.encrypt('4')).rejects.toMatchObject({ code: 'KMS_UNAVAILABLE' });
    expect(Date.now() - started).toBeLessThan(30_000);
  });

  it('gives up on an unreachable KMS endpoint with KMS_UNAVAILABLE', async () => {
    const client = new KMSClient({ ...awsClientConfig(), endpoint: 'http://127.0.0.1:9', maxAttempts: 1 });
    const envelope = createEnvelope({ keys: new KmsKeyProvider({ keyId: 'k', client, timeoutMs: 3000 }) });
    const error = await envelope.encrypt('x').catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'KMS_UNAVAILABLE', retryable: true });
    expect((error as Error).cause).toBeInstanceOf(Error);
  });

  it('a wrong alias is KMS_KEY_UNUSABLE, not retryable, with the SDK NotFoundException as cause', async () => {
    const envelope = createEnvelope({ keys: new KmsKeyProvider({ keyId: `alias/${uniqueName('missing')}`, client: kmsClient() }) });
    const error = await envelope.encrypt('x').catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'KMS_KEY_UNUSABLE', retryable: false, details: { awsError: 'NotFoundException' } });
    expect((error as Error).cause).toBeInstanceOf(NotFoundException);
    expect((error as { cause: { $metadata: { httpStatusCode: number } } }).cause.$metadata.httpStatusCode).toBe(400);
  });
});
