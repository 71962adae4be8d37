// Issue #11, defect 4: every wrapped key of a message can cost one KMS Decrypt, and the
// writer of a message chooses how many there are (up to 255). The envelope caps them
// (maxWrappedKeys) before any KMS call, and remembers sets that failed to unwrap so that a
// replayed forged message costs no new call. KMS calls are counted by a middleware on the
// real client talking to the emulator (instrumentation, not a mock).
import { randomBytes } from 'node:crypto';
import {
  KmsKeyProvider,
  LocalKeyProvider,
  MultiKeyProvider,
  createEnvelope,
  encodeWrappedKeys,
  type WrappedKey,
} from '@phiseal/core';
import { createKmsKey, kmsClient } from '@phiseal/test-support';
import { describe, expect, it } from 'vitest';

function countingProvider(keyId: string): { keys: KmsKeyProvider; decrypts: () => number } {
  const client = kmsClient();
  let decrypts = 0;
  client.middlewareStack.add(
    (next, context) => (args) => {
      if (context.commandName === 'DecryptCommand') decrypts++;
      return next(args);
    },
    { step: 'initialize', name: 'countDecrypts' },
  );
  return { keys: new KmsKeyProvider({ keyId, client }), decrypts: () => decrypts };
}

/** A message (docs/format.md §1) whose wrapped keys all name `keyId` but hold garbage. */
function forged(keyId: string, count: number): Uint8Array {
  const wrapped: WrappedKey[] = Array.from({ length: count }, () => ({ provider: 'aws-kms', keyId, ciphertext: randomBytes(120) }));
  return Buffer.concat([Buffer.of(1, 1), encodeWrappedKeys(wrapped), Buffer.of(0, 0), randomBytes(32 + 12 + 8 + 16)]);
}

describe('wrapped keys tried per message', () => {
  it('refuses more than maxWrappedKeys (default 10) with LIMIT_EXCEEDED before any KMS call', async () => {
    const keyId = await createKmsKey();
    const { keys, decrypts } = countingProvider(keyId);
    const envelope = createEnvelope({ keys });
    await expect(envelope.decrypt(forged(keyId, 11))).rejects.toMatchObject({ code: 'LIMIT_EXCEEDED' });
    await expect(envelope.decrypt(forged(keyId, 255))).rejects.toMatchObject({ code: 'LIMIT_EXCEEDED' });
    const list = Array.from({ length: 11 }, () => ({ provider: 'aws-kms', keyId, ciphertext: randomBytes(120) }));
    await expect(envelope.unwrapDataKey(list, {})).rejects.toMatchObject({ code: 'LIMIT_EXCEEDED' });
    expect(decrypts()).toBe(0);
    // Raised explicitly, the same message is tried key by key.
    const wide = createEnvelope({ keys, maxWrappedKeys: 11 });
    await expect(wide.decrypt(forged(keyId, 11))).rejects.toMatchObject({ code: 'DECRYPTION_FAILED' });
    expect(decrypts()).toBe(11);
  });

  it('costs no new KMS call when a forged message is replayed', async () => {
    const keyId = await createKmsKey();
    const { keys, decrypts } = countingProvider(keyId);
    const envelope = createEnvelope({ keys });
    const message = forged(keyId, 3);
    for (let i = 0; i < 20; i++) {
      await expect(envelope.decrypt(message)).rejects.toMatchObject({ code: 'DECRYPTION_FAILED' });
    }
    const list = Array.from({ length: 2 }, () => ({ provider: 'aws-kms', keyId, ciphertext: randomBytes(120) }));
    for (let i = 0; i < 20; i++) {
      await expect(envelope.unwrapDataKey(list, { tenant: 'a' })).rejects.toMatchObject({ code: 'DECRYPTION_FAILED' });
    }
    expect(decrypts()).toBe(3 + 2);
    // A genuine message still decrypts.
    const sealed = await createEnvelope({ keys: new KmsKeyProvider({ keyId, client: kmsClient() }) }).encrypt('ok');
    expect(Buffer.from((await envelope.decrypt(sealed)).plaintext).toString()).toBe('ok');
  });

  it('applies the limit to what encrypt writes, and refuses a limit outside 1..255', async () => {
    const local = (n: number) => new LocalKeyProvider({ keyId: `k${n}`, key: new Uint8Array(32).fill(n) });
    const keys = new MultiKeyProvider([local(1), local(2), local(3)]);
    await expect(createEnvelope({ keys, maxWrappedKeys: 2 }).encrypt('x')).rejects.toMatchObject({ code: 'LIMIT_EXCEEDED' });
    const sealed = await createEnvelope({ keys, maxWrappedKeys: 3 }).encrypt('x');
    await expect(createEnvelope({ keys, maxWrappedKeys: 2, cache: false }).decrypt(sealed)).rejects.toMatchObject({
      code: 'LIMIT_EXCEEDED',
    });
    for (const bad of [0, -1, 1.5, 256, Number.NaN, '3']) {
      expect(() => createEnvelope({ keys, maxWrappedKeys: bad as number })).toThrow(
        expect.objectContaining({ code: 'INVALID_CONFIGURATION' }),
      );
    }
  });
});
