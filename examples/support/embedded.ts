// The embedded default every example runs on: a local key file (generated once, mode
// 0600) and the moto emulator on 127.0.0.1 — unless AWS settings are present, in which
// case the examples use real AWS with the KMS key in PHISEAL_KMS_KEY_ID.
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { KMSClient } from '@aws-sdk/client-kms';
import { KmsKeyProvider, LocalKeyProvider, type KeyProvider } from '@phiseal/core';
// @ts-expect-error -- plain ESM helper shared with the test set-up; no type declarations.
import { emulatorEnv, startEmulator } from '../../scripts/emulator.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export type Environment = {
  /** Where data keys come from. */
  keys: KeyProvider;
  /** Client settings for the AWS SDK (endpoint, region, credentials; empty on real AWS). */
  aws: { endpoint?: string; region: string; credentials?: { accessKeyId: string; secretAccessKey: string }; forcePathStyle?: boolean };
  /** A short description for the console. */
  description: string;
  stop: () => Promise<void>;
};

export async function embeddedDefault(): Promise<Environment> {
  process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';
  const kmsKeyId = process.env['PHISEAL_KMS_KEY_ID'];
  if (kmsKeyId) {
    const region = process.env['AWS_REGION'] ?? 'us-east-1';
    return {
      keys: new KmsKeyProvider({ keyId: kmsKeyId, client: new KMSClient({ region }) }),
      aws: { region },
      description: `real AWS in ${region} with KMS key ${kmsKeyId}`,
      stop: () => Promise.resolve(),
    };
  }
  const keyFile = process.env['PHISEAL_KEY_FILE'] ?? join(root, '.phiseal', 'dev.key');
  mkdirSync(dirname(keyFile), { recursive: true });
  const keys = existsSync(keyFile) ? LocalKeyProvider.fromFile(keyFile) : LocalKeyProvider.generateFile(keyFile);
  const emulator = (await startEmulator()) as { endpoint: string; stop: () => Promise<void> };
  Object.assign(process.env, emulatorEnv(emulator.endpoint));
  return {
    keys,
    aws: {
      endpoint: emulator.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
      forcePathStyle: true,
    },
    description: `embedded default: local key file ${keyFile} + emulator at ${emulator.endpoint}`,
    stop: emulator.stop,
  };
}
