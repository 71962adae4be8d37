import { readFileSync } from 'node:fs';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { KMSClient } from '@aws-sdk/client-kms';
import { createEnvelope, KmsKeyProvider, LocalKeyProvider, type Envelope, type KeyProvider } from '@phiseal/core';
import type { TableConfig } from '@phiseal/dynamodb';
import type { BucketEncryption } from '@phiseal/s3';
import { usageError } from './cli-failure.js';

/** Everything a migration process (the parent or a worker) needs, as plain JSON for the IPC channel. */
export type MigrateSpec = {
  kind: 'dynamodb' | 's3';
  key: KeySource;
  /** DynamoDB: the table's configuration without its envelope. */
  table?: Omit<TableConfig, 'envelope'>;
  /** S3: the bucket and its configuration without its envelope. */
  bucket?: string;
  s3?: { format?: 'v3' | 'v2'; context?: Record<string, string> };
  dryRun: boolean;
  concurrency: number;
  /** Records per second for this process (the run's rate divided among workers). */
  rate?: number;
  maxConflictRetries?: number;
  /** `phiseal rewrap`: the old and the new key (records are re-keyed, not encrypted). */
  rewrap?: { from: KeySource; to: KeySource };
  /** `phiseal rewrap s3 --delete-replaced-versions`. */
  deleteReplacedVersions?: boolean;
};

/** Where a key comes from: a KMS key id or a local key file. */
export type KeySource = { kmsKeyId: string } | { keyFile: string };

const TABLE_FIELDS = ['logicalTableName', 'actions', 'defaultAction', 'allowedUnsignedAttributes', 'allowedUnsignedAttributePrefix', 'algorithmSuite', 'versionAttribute'] as const;

/** `--config FILE`: the TableConfig fields other than name, keys and envelope, as JSON. */
export function readTableConfigFile(path: string | undefined): Partial<Omit<TableConfig, 'envelope'>> {
  if (path === undefined) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    throw usageError('--config must name a JSON file of table settings (actions, defaultAction, allowedUnsignedAttributes, ...)');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw usageError('--config must hold a JSON object');
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(parsed)) {
    if (!(TABLE_FIELDS as readonly string[]).includes(name)) throw usageError(`--config: unknown setting "${name}" (allowed: ${TABLE_FIELDS.join(', ')})`);
    out[name] = value;
  }
  return out;
}

/** The table's key attributes, from DescribeTable (the migration must name them in its conditions). */
export async function tableKeys(client: DynamoDBClient, tableName: string): Promise<{ partitionKey: string; sortKey?: string }> {
  const out = await client.send(new DescribeTableCommand({ TableName: tableName }));
  const schema = out.Table?.KeySchema ?? [];
  const partitionKey = schema.find((k) => k.KeyType === 'HASH')?.AttributeName;
  const sortKey = schema.find((k) => k.KeyType === 'RANGE')?.AttributeName;
  if (partitionKey === undefined) throw usageError('the table has no partition key in its description');
  return sortKey === undefined ? { partitionKey } : { partitionKey, sortKey };
}

/** The key provider of a key source. */
export function keyProviderOf(key: KeySource): KeyProvider {
  return 'kmsKeyId' in key ? new KmsKeyProvider({ keyId: key.kmsKeyId, client: new KMSClient({}) }) : LocalKeyProvider.fromFile(key.keyFile);
}

function provider(spec: MigrateSpec): KeyProvider {
  return keyProviderOf(spec.key);
}

/** `keys`, calling `onCall` as each data-key request starts (the envelope has counted it by then). */
export function announced(keys: KeyProvider, onCall: () => void): KeyProvider {
  return {
    id: keys.id,
    generate: (context) => (onCall(), keys.generate(context)),
    wrap: (key, context) => (onCall(), keys.wrap(key, context)),
    unwrap: (wrapped, context) => (onCall(), keys.unwrap(wrapped, context)),
  };
}

/**
 * The envelope of a process: one per process, so its cache serves that process's records.
 * `onKeyCall` (a worker's) hears of each key-provider call as it starts, so that the parent
 * can hold the run's KMS budget across all workers.
 */
export function envelopeOf(spec: MigrateSpec, onKeyCall?: () => void): Envelope {
  const keys = provider(spec);
  return createEnvelope({ keys: onKeyCall === undefined ? keys : announced(keys, onKeyCall) });
}

/** KMS calls (GenerateDataKey + Decrypt) the envelope has made: what a run's budget counts. */
export function kmsCallsOf(envelope: Envelope): number {
  const s = envelope.stats();
  return s.kmsGenerateDataKeyCalls + s.kmsDecryptCalls;
}

export function tableConfigOf(spec: MigrateSpec, envelope: Envelope): TableConfig {
  if (spec.table === undefined) throw usageError('no table');
  return { ...spec.table, envelope };
}

export function bucketConfigOf(spec: MigrateSpec, envelope: Envelope): BucketEncryption {
  return { envelope, ...(spec.s3?.format === undefined ? {} : { format: spec.s3.format }), ...(spec.s3?.context === undefined ? {} : { context: spec.s3.context }) };
}
