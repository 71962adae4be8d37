// Writes esdk-v2.json: known-answer vectors for the AWS Encryption SDK message format.
// Run once with `pnpm exec tsx packages/core/test/vectors/generate-esdk.ts` (fresh random
// inputs each run); the vectors are committed and checked by esdk-vectors.test.ts.
//  - "phiseal": messages phiseal writes from fixed inputs (wrapping key, data key, message
//    id, raw AES IV), so the test can demand the same bytes again; the unsigned ones are
//    also checked against the SDKs (independent decoders).
//  - "sdk-js": messages written by @aws-crypto/client-node with a raw AES keyring.
//  (Python SDK messages are added by python-vectors.py into the same file.)
import {
  AlgorithmSuiteIdentifier,
  CommitmentPolicy,
  RawAesKeyringNode,
  RawAesWrappingSuiteIdentifier,
  buildClient,
} from '@aws-crypto/client-node';
import { createCipheriv, randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { serializeContext } from '../../src/internal/esdk/context.js';
import { serializeEdks } from '../../src/internal/esdk/edks.js';
import { headerMaterial } from '../../src/internal/esdk/header.js';
import { sealMessage } from '../../src/internal/esdk/message.js';
import { rawAesInfo } from '../../src/internal/esdk/raw-aes-info.js';
import { COMMITTING } from '../../src/internal/esdk/suites.js';

const FILE = new URL('./esdk-v2.json', import.meta.url);
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const KEY_NAME = 'kat-local';
const NAMESPACE = 'phiseal-local';

function phisealVector(description: string, size: number, context: Record<string, string>, frameLength: number) {
  const wrappingKey = randomBytes(32);
  const dataKey = randomBytes(32);
  const wrapIv = randomBytes(12);
  const messageId = randomBytes(32);
  const plaintext = randomBytes(size);
  const cipher = createCipheriv('aes-256-gcm', wrappingKey, wrapIv);
  cipher.setAAD(serializeContext(context));
  const edk = Buffer.concat([cipher.update(dataKey), cipher.final(), cipher.getAuthTag()]);
  const wrapped = [{ provider: NAMESPACE, keyId: KEY_NAME, providerInfo: rawAesInfo(Buffer.from(KEY_NAME), wrapIv), ciphertext: edk }];
  const material = headerMaterial(serializeContext(context), serializeEdks(wrapped));
  const message = sealMessage({ suite: COMMITTING, dataKey, material }, plaintext, frameLength, messageId);
  return {
    description,
    keyName: KEY_NAME,
    keyNamespace: NAMESPACE,
    wrappingKey: hex(wrappingKey),
    dataKey: hex(dataKey),
    wrapIv: hex(wrapIv),
    messageId: hex(messageId),
    frameLength,
    context,
    plaintext: hex(plaintext),
    message: hex(message),
  };
}

async function sdkVector(description: string, size: number, context: Record<string, string>, suiteId: number, frameLength: number) {
  const wrappingKey = randomBytes(32);
  const plaintext = randomBytes(size);
  const keyring = new RawAesKeyringNode({
    keyName: KEY_NAME,
    keyNamespace: NAMESPACE,
    unencryptedMasterKey: new Uint8Array(wrappingKey),
    wrappingSuite: RawAesWrappingSuiteIdentifier.AES256_GCM_IV12_TAG16_NO_PADDING,
  });
  const legacy = suiteId !== 0x0478 && suiteId !== 0x0578;
  const client = buildClient(legacy ? CommitmentPolicy.FORBID_ENCRYPT_ALLOW_DECRYPT : CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT);
  const { result } = await client.encrypt(keyring, plaintext, { encryptionContext: context, suiteId, frameLength });
  return { description, producer: '@aws-crypto/client-node 5.0.2', suiteId, legacy, keyName: KEY_NAME, keyNamespace: NAMESPACE, wrappingKey: hex(wrappingKey), context, plaintext: hex(plaintext), message: hex(result) };
}

const ctx = { tenant: 'clinic-a', 'z-last': 'ünïcode ✓' };
const S = AlgorithmSuiteIdentifier;
const previous = (() => {
  try {
    return JSON.parse(readFileSync(FILE, 'utf8')) as { python?: unknown[] };
  } catch {
    return {};
  }
})();
writeFileSync(
  FILE,
  `${JSON.stringify(
    {
      format: 'AWS Encryption SDK message format (data-format/message.md)',
      phiseal: [
        phisealVector('0 B, empty context, frame 4096', 0, {}, 4096),
        phisealVector('1 B, context, frame 4096', 1, ctx, 4096),
        phisealVector('4096 B = one full frame and an empty final frame', 4096, ctx, 4096),
        phisealVector('300 B in frames of 128', 300, {}, 128),
      ],
      'sdk-js': [
        await sdkVector('0x0478, empty context', 17, {}, S.ALG_AES256_GCM_IV12_TAG16_HKDF_SHA512_COMMIT_KEY, 4096),
        await sdkVector('0x0478, context, 3 frames', 300, ctx, S.ALG_AES256_GCM_IV12_TAG16_HKDF_SHA512_COMMIT_KEY, 128),
        await sdkVector('0x0578 signed, context', 5000, ctx, S.ALG_AES256_GCM_IV12_TAG16_HKDF_SHA512_COMMIT_KEY_ECDSA_P384, 4096),
        await sdkVector('0x0378 legacy signed v1', 40, ctx, S.ALG_AES256_GCM_IV12_TAG16_HKDF_SHA384_ECDSA_P384, 16),
        await sdkVector('0x0178 legacy v1', 40, {}, S.ALG_AES256_GCM_IV12_TAG16_HKDF_SHA256, 4096),
        await sdkVector('0x0014 legacy v1, no KDF', 5, {}, S.ALG_AES128_GCM_IV12_TAG16, 4096),
      ],
      python: previous.python ?? [],
    },
    null,
    2,
  )}\n`,
);
