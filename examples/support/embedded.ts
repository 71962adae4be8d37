// The embedded default every example runs on: a local key held in memory only (or the key
// file named by PHISEAL_KEY_FILE) and the moto emulator on 127.0.0.1 — unless AWS settings
// are present:
//
//   PHISEAL_KMS_KEY_ID set   real AWS (region/credentials from the AWS environment) with that KMS key
//   AWS_ENDPOINT_URL set     that endpoint (an emulator already running) with the local key
//   neither                  a moto server started here and stopped by `stop()`
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { KMSClient } from '@aws-sdk/client-kms';
import { KmsKeyProvider, LocalKeyProvider, type KeyProvider } from '@phiseal/core';

export type Environment = {
  /** Where data keys come from. */
  keys: KeyProvider;
  /** Client settings for the AWS SDK (endpoint, region, credentials; region only on real AWS). */
  aws: { endpoint?: string; region: string; credentials?: { accessKeyId: string; secretAccessKey: string }; forcePathStyle?: boolean };
  /** A short description for the console. */
  description: string;
  /** True on real AWS: resources take time to become active and cost money, so examples wait and clean up. */
  realAws: boolean;
  /** Where an example tells what it does (the console, or `phiseal demo`'s output). */
  log: (line: string) => void;
  stop: () => Promise<void>;
};

const NO_EMULATOR = [
  'no emulator: outside the phiseal repository the demo cannot start one for you. Either',
  "  start the moto server yourself: python3 -m pip install 'moto[server]' && moto_server -H 127.0.0.1 -p 5000",
  '  then run:                       AWS_ENDPOINT_URL=http://127.0.0.1:5000 phiseal demo',
  '  or use real AWS:                PHISEAL_KMS_KEY_ID=<key arn or alias> phiseal demo',
  '  or run it from a clone:         pnpm install && pnpm run main',
].join('\n');

type Emulator = { endpoint: string; stop: () => Promise<void> };
type EmulatorModule = { startEmulator: () => Promise<Emulator>; emulatorEnv: (endpoint: string) => Record<string, string> };

/**
 * The repository root: the nearest folder above this file with scripts/emulator.mjs. The
 * examples run from examples/ (tsx) and compiled inside the CLI (packages/cli/dist/examples),
 * so the path is found, not assumed.
 */
function repositoryRoot(): string | undefined {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'scripts', 'emulator.mjs')) && existsSync(join(dir, 'pnpm-workspace.yaml'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

// Issue 11: the demo and the examples leave no key material behind. Without
// PHISEAL_KEY_FILE (a key the user keeps), the key lives in memory for this run only: the
// data it protects lives in a per-run emulator (or in resources the examples delete).
function localKeys(): { keys: KeyProvider; label: string } {
  const keyFile = process.env['PHISEAL_KEY_FILE'];
  if (keyFile !== undefined) return { keys: LocalKeyProvider.fromFile(keyFile), label: `local key file ${keyFile}` };
  const key = randomBytes(32);
  const keys = new LocalKeyProvider({ keyId: 'demo-in-memory', key });
  key.fill(0);
  return { keys, label: 'an in-memory local key (never written to disk)' };
}

const emulatorClientSettings = (endpoint: string): Environment['aws'] => ({
  endpoint,
  region: 'us-east-1',
  credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
  forcePathStyle: true,
});

/** The environment of the examples (see the top of this file). Call `stop()` when done. */
export async function embeddedDefault(options: { log?: (line: string) => void } = {}): Promise<Environment> {
  process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';
  const log = options.log ?? ((line: string) => console.log(line));
  const kmsKeyId = process.env['PHISEAL_KMS_KEY_ID'];
  const endpoint = process.env['AWS_ENDPOINT_URL'];
  if (kmsKeyId) {
    const region = process.env['AWS_REGION'] ?? process.env['AWS_DEFAULT_REGION'] ?? 'us-east-1';
    return {
      keys: new KmsKeyProvider({ keyId: kmsKeyId, client: new KMSClient({ region }) }),
      // The SDK reads AWS_ENDPOINT_URL itself; an endpoint on an IP address needs path-style S3.
      aws: endpoint ? { region, forcePathStyle: true } : { region },
      description: `${endpoint ? `AWS endpoint ${endpoint}` : `real AWS in ${region}`} with KMS key ${kmsKeyId}`,
      realAws: !endpoint,
      log,
      stop: () => Promise.resolve(),
    };
  }
  const root = repositoryRoot();
  if (!endpoint && !root) throw new Error(NO_EMULATOR);
  const { keys, label } = localKeys();
  if (endpoint) {
    return {
      keys,
      aws: emulatorClientSettings(endpoint),
      description: `${label} + emulator at ${endpoint}`,
      realAws: false,
      log,
      stop: () => Promise.resolve(),
    };
  }
  if (!root) throw new Error(NO_EMULATOR);
  const { startEmulator, emulatorEnv } = (await import(pathToFileURL(join(root, 'scripts', 'emulator.mjs')).href)) as EmulatorModule;
  const emulator = await startEmulator();
  const saved = { ...process.env };
  Object.assign(process.env, emulatorEnv(emulator.endpoint));
  return {
    keys,
    aws: emulatorClientSettings(emulator.endpoint),
    description: `embedded default: ${label} + emulator at ${emulator.endpoint}`,
    realAws: false,
    log,
    stop: async () => {
      await emulator.stop();
      for (const name of Object.keys(emulatorEnv(emulator.endpoint))) {
        if (saved[name] === undefined) delete process.env[name];
        else process.env[name] = saved[name];
      }
    },
  };
}
