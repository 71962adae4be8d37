// Every KMS call of the envelope (GenerateDataKey on encrypt, Decrypt on decrypt), through
// the fault proxy: fails once transiently, persistently, and with its answer lost. A failure
// is KMS_UNAVAILABLE, retryable; a success round-trips the exact plaintext.
import { createEnvelope, KmsKeyProvider, PhisealError } from '@phiseal/core';
import { awsClientConfig, createKmsKey, faultMatrix, pattern, proxiedClients, startFaultProxy, type FaultProxy, type MatrixCall, type Outcome } from '@phiseal/test-support';
import { afterAll, beforeAll, expect } from 'vitest';

let proxy: FaultProxy;
let keyId: string;
let seq = 0;
beforeAll(async () => {
  proxy = await startFaultProxy({ target: awsClientConfig().endpoint, seed: 31 });
  keyId = await createKmsKey('core fault matrix');
});
afterAll(() => proxy.stop());

// No cache: every call asks KMS.
const envelope = () => createEnvelope({ keys: new KmsKeyProvider({ keyId, client: proxiedClients(proxy, { maxAttempts: 3 }).kms }), cache: false });

const checkKms = (outcome: Outcome): void => {
  if (!outcome.ok) expect(PhisealError.is(outcome.error) && outcome.error.code).toBe('KMS_UNAVAILABLE');
};

const calls: MatrixCall[] = [
  {
    name: 'encrypt',
    service: 'kms',
    operation: 'GenerateDataKey',
    prepare: () => {
      const plaintext = pattern(1000, seq++);
      const sealer = envelope();
      return Promise.resolve({
        act: () => sealer.encrypt(plaintext, { context: { purpose: 'matrix' } }),
        check: async (outcome: Outcome) => {
          checkKms(outcome);
          if (outcome.ok) expect(Buffer.from((await envelope().decrypt(outcome.value as Uint8Array)).plaintext).equals(plaintext)).toBe(true);
        },
      });
    },
  },
  {
    name: 'decrypt',
    service: 'kms',
    operation: 'Decrypt',
    prepare: async () => {
      const plaintext = pattern(1000, seq++);
      const sealed = await envelope().encrypt(plaintext, { context: { purpose: 'matrix' } });
      const opener = envelope();
      return {
        act: () => opener.decrypt(sealed),
        check: (outcome: Outcome) => {
          checkKms(outcome);
          if (outcome.ok) expect(Buffer.from((outcome.value as { plaintext: Uint8Array }).plaintext).equals(plaintext)).toBe(true);
          return Promise.resolve();
        },
      };
    },
  },
];

faultMatrix(() => proxy, calls);
