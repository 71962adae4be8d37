import { KMSClient } from '@aws-sdk/client-kms';
import { KmsKeyProvider, LocalKeyProvider, type KeyProvider } from '@phiseal/core';
import { usageError } from './cli-failure.js';
import type { CliIo } from './io.js';

/** The `parseArgs` options every command that needs a key accepts. */
export const KEY_OPTIONS = {
  'kms-key-id': { type: 'string' },
  'key-file': { type: 'string' },
} as const;

/** Options `encrypt` and `decrypt` share besides the key: output, context, overwrite, progress. */
export const STREAM_OPTIONS = {
  ...KEY_OPTIONS,
  output: { type: 'string', short: 'o' },
  context: { type: 'string', short: 'c', multiple: true },
  force: { type: 'boolean', short: 'f' },
  quiet: { type: 'boolean', short: 'q' },
} as const;

/** Help lines for {@link KEY_OPTIONS}. */
export const KEY_HELP = `Key (exactly one; else PHISEAL_KMS_KEY_ID or PHISEAL_KEY_FILE from the environment):
  --kms-key-id ID     AWS KMS key id, ARN or alias (region and credentials from the AWS environment/config)
  --key-file PATH     local key file from \`phiseal keygen\` (development only)`;

/**
 * The key provider named on the command line, or by `PHISEAL_KMS_KEY_ID` /
 * `PHISEAL_KEY_FILE`. Exactly one source: guessing between two keys could seal data under
 * the wrong one.
 * @throws usage error for none or both; PhisealError `KEY_FILE_INVALID` for a bad file.
 */
export function keyProviderFrom(values: { 'kms-key-id'?: string | undefined; 'key-file'?: string | undefined }, io: CliIo): KeyProvider {
  const fromArgs = values['kms-key-id'] !== undefined || values['key-file'] !== undefined;
  const kmsKeyId = fromArgs ? values['kms-key-id'] : io.env['PHISEAL_KMS_KEY_ID'] || undefined;
  const keyFile = fromArgs ? values['key-file'] : io.env['PHISEAL_KEY_FILE'] || undefined;
  if (kmsKeyId !== undefined && keyFile !== undefined) throw usageError('give either --kms-key-id or --key-file, not both');
  if (kmsKeyId !== undefined) return new KmsKeyProvider({ keyId: kmsKeyId, client: new KMSClient({}) });
  if (keyFile !== undefined) return LocalKeyProvider.fromFile(keyFile);
  throw usageError('no key: give --kms-key-id ID or --key-file PATH');
}
