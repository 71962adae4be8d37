// The deployable entry point: one Lambda function configured by environment variables (as
// the deploy template sets them), answering both S3 Batch Operations invocations and
// Distributed Map item batches. Clients and the envelope (with its data-key cache) are built
// once per execution environment, so warm invocations share cached data keys.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { createEnvelope, KmsKeyProvider, PhisealError, type Envelope, type KmsKeyProviderOptions } from '@phiseal/core';
import type { TableConfig } from '@phiseal/dynamodb';
import type { BucketEncryption } from '@phiseal/s3';
import type { S3BatchResult } from '../batch-operations/batch-event.js';
import { createBatchOperationsHandler } from '../batch-operations/create-batch-operations-handler.js';
import { createDistributedMapHandler } from '../distributed-map/create-distributed-map-handler.js';
import type { DistributedMapResult } from '../distributed-map/map-event.js';

/**
 * The environment variables {@link lambdaHandlerFromEnvironment} reads (and the deploy template sets).
 *
 * @example
 * ```ts
 * import { LAMBDA_ENVIRONMENT, lambdaHandlerFromEnvironment } from '@phiseal/migrate';
 * const handler = lambdaHandlerFromEnvironment({
 *   env: {
 *     [LAMBDA_ENVIRONMENT.kmsKeyArn]: 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
 *     [LAMBDA_ENVIRONMENT.buckets]: 'lab-results,scans',
 *     [LAMBDA_ENVIRONMENT.context]: '{"purpose":"phi-archive"}',
 *   },
 * });
 * ```
 */
export const LAMBDA_ENVIRONMENT = {
  /** Required: ARN of the KMS key data keys are generated under. */
  kmsKeyArn: 'PHISEAL_KMS_KEY_ARN',
  /** Comma-separated bucket names (or access point ARNs) to migrate. */
  buckets: 'PHISEAL_BUCKETS',
  /** JSON object of strings: the encryption context of every object (never PHI). */
  context: 'PHISEAL_ENCRYPTION_CONTEXT',
  /** Table name to migrate. */
  table: 'PHISEAL_TABLE',
  /** JSON: the table's TableConfig without `tableName` and `envelope`. */
  tableConfig: 'PHISEAL_TABLE_CONFIG',
} as const;

/**
 * Options of {@link lambdaHandlerFromEnvironment}: the environment (default `process.env`) and clients (default new ones).
 *
 * @example
 * ```ts
 * import { S3Client } from '@aws-sdk/client-s3';
 * import { lambdaHandlerFromEnvironment, type LambdaEnvironmentOptions } from '@phiseal/migrate';
 * const options: LambdaEnvironmentOptions = { env: process.env, s3: new S3Client({ region: 'us-east-1' }) };
 * export const handler = lambdaHandlerFromEnvironment(options);
 * ```
 */
export type LambdaEnvironmentOptions = {
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly s3?: S3Client;
  readonly dynamodb?: DynamoDBClient;
  /** KMS client of the key provider (default: the provider's own `new KMSClient({})`). */
  readonly kms?: KmsKeyProviderOptions['client'];
};

function misconfigured(variable: string): PhisealError {
  return new PhisealError('INVALID_CONFIGURATION', `The environment variable ${variable} is missing or malformed.`, { details: { variable } });
}

function jsonObject(text: string | undefined, variable: string): Record<string, unknown> | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // reported below, without the text (it may be a config the operator mistyped, not PHI, but stays out of logs)
  }
  throw misconfigured(variable);
}

function bucketsOf(env: LambdaEnvironmentOptions['env'] & object, envelope: Envelope): Record<string, BucketEncryption> {
  const context = jsonObject(env[LAMBDA_ENVIRONMENT.context], LAMBDA_ENVIRONMENT.context) ?? {};
  if (Object.values(context).some((value) => typeof value !== 'string')) throw misconfigured(LAMBDA_ENVIRONMENT.context);
  const names = (env[LAMBDA_ENVIRONMENT.buckets] ?? '').split(',').map((name) => name.trim()).filter((name) => name.length > 0);
  const config: BucketEncryption = Object.keys(context).length > 0 ? { envelope, context: context as Record<string, string> } : { envelope };
  return Object.fromEntries(names.map((name) => [name, config]));
}

function tablesOf(env: LambdaEnvironmentOptions['env'] & object, envelope: Envelope): Record<string, TableConfig> {
  const tableName = env[LAMBDA_ENVIRONMENT.table]?.trim() ?? '';
  if (tableName === '') return {};
  const config = jsonObject(env[LAMBDA_ENVIRONMENT.tableConfig], LAMBDA_ENVIRONMENT.tableConfig);
  if (config === undefined || typeof config['partitionKey'] !== 'string') throw misconfigured(LAMBDA_ENVIRONMENT.tableConfig);
  return { [tableName]: { ...(config as Omit<TableConfig, 'tableName' | 'envelope'>), tableName, envelope } };
}

/**
 * Builds the Lambda handler the deploy template runs, from environment variables
 * ({@link LAMBDA_ENVIRONMENT}): events with an `invocationSchemaVersion` go to
 * {@link createBatchOperationsHandler}, events with `Items` to
 * {@link createDistributedMapHandler}.
 * @throws {@link PhisealError} `INVALID_CONFIGURATION` naming the variable that is missing or
 * malformed (never its value).
 * @example
 * ```ts
 * // index.ts, bundled with esbuild into the function's zip
 * import { lambdaHandlerFromEnvironment } from '@phiseal/migrate';
 * export const handler = lambdaHandlerFromEnvironment();
 * ```
 */
export function lambdaHandlerFromEnvironment(options: LambdaEnvironmentOptions = {}): (event: unknown) => Promise<S3BatchResult | DistributedMapResult> {
  const env = options.env ?? process.env;
  const keyId = env[LAMBDA_ENVIRONMENT.kmsKeyArn]?.trim() ?? '';
  if (keyId === '') throw misconfigured(LAMBDA_ENVIRONMENT.kmsKeyArn);
  const envelope = createEnvelope({ keys: new KmsKeyProvider(options.kms === undefined ? { keyId } : { keyId, client: options.kms }) });
  const buckets = bucketsOf(env, envelope);
  const tables = tablesOf(env, envelope);
  if (Object.keys(buckets).length === 0 && Object.keys(tables).length === 0) throw misconfigured(LAMBDA_ENVIRONMENT.buckets);
  const s3 = options.s3 ?? new S3Client({});
  const batch = createBatchOperationsHandler({ client: s3, buckets });
  const map = createDistributedMapHandler({
    s3: { client: s3, buckets },
    ...(Object.keys(tables).length > 0 ? { dynamodb: { client: options.dynamodb ?? new DynamoDBClient({}), tables } } : {}),
  });
  return (event) => {
    const isBatch = typeof event === 'object' && event !== null && 'invocationSchemaVersion' in event;
    return isBatch ? batch(event) : map(event);
  };
}
