// The deployable entry point, configured by environment variables as the deploy template
// sets them, with a real KMS key, S3 bucket and table on the emulator.
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { createEnvelope, KmsKeyProvider } from '@phiseal/core';
import { withEncryption } from '@phiseal/s3';
import { createBucket, createKmsKey, kmsClient, s3Client } from '@phiseal/test-support';
import { beforeAll, describe, expect, it } from 'vitest';
import { LAMBDA_ENVIRONMENT, lambdaHandlerFromEnvironment } from '../src/lambda/lambda-handler-from-environment.js';
import { freshTable, plainItem, putItems, rawClient } from './helpers.js';

describe('lambdaHandlerFromEnvironment', () => {
  let keyArn: string;
  let bucket: string;
  beforeAll(async () => {
    [keyArn, bucket] = await Promise.all([createKmsKey('lambda entry'), createBucket()]);
    for (const key of ['batch/a b.txt', 'map/c.txt']) await s3Client().send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: `body of ${key}` }));
  });
  const env = (extra: Record<string, string> = {}) => ({
    [LAMBDA_ENVIRONMENT.kmsKeyArn]: keyArn,
    [LAMBDA_ENVIRONMENT.buckets]: ` ${bucket} ,`,
    [LAMBDA_ENVIRONMENT.context]: '{"dataset":"labs"}',
    ...extra,
  });
  const readBack = async (key: string) => {
    const envelope = createEnvelope({ keys: new KmsKeyProvider({ keyId: keyArn, client: kmsClient() }) });
    const reader = withEncryption(s3Client(), { buckets: { [bucket]: { envelope, context: { dataset: 'labs' } } } });
    return (await reader.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body!.transformToString();
  };

  it('answers S3 Batch Operations invocations and Distributed Map batches with the configured key and context', async () => {
    const handler = lambdaHandlerFromEnvironment({ env: env(), s3: s3Client(), kms: kmsClient() });
    const batch = await handler({
      invocationSchemaVersion: '2.0', invocationId: 'inv-1', job: { id: 'job-1', userArguments: {} },
      tasks: [{ taskId: 't-1', s3Key: 'batch/a+b.txt', s3VersionId: null, s3Bucket: bucket }],
    });
    expect(batch).toMatchObject({ invocationSchemaVersion: '2.0', results: [{ taskId: 't-1', resultCode: 'Succeeded', resultString: 'migrated' }] });
    const map = await handler({ Items: [{ Key: 'map/c.txt', Size: 14, Etag: '"e"', LastModified: 1, StorageClass: 'STANDARD' }], BatchInput: { bucket } });
    expect(map).toMatchObject({ succeeded: 1, failed: 0 });
    expect(await readBack('batch/a b.txt')).toBe('body of batch/a b.txt');
    expect(await readBack('map/c.txt')).toBe('body of map/c.txt');
  });

  it('migrates the configured table from Scan segments', async () => {
    const table = await freshTable();
    await putItems(rawClient(), table.tableName, Array.from({ length: 12 }, (_, i) => plainItem(i)));
    const handler = lambdaHandlerFromEnvironment({
      env: env({ [LAMBDA_ENVIRONMENT.table]: table.tableName, [LAMBDA_ENVIRONMENT.tableConfig]: JSON.stringify({ partitionKey: 'pk', actions: { note: 'sign' } }) }),
      s3: s3Client(), kms: kmsClient(), dynamodb: rawClient(),
    });
    const out = await handler({ Items: [{ segment: 0, totalSegments: 1 }], BatchInput: { table: table.tableName } });
    expect(out).toMatchObject({ succeeded: 1, results: [{ counts: { migrated: 12, failed: 0 } }] });
  });

  it('names the variable that is missing or malformed, never its value', () => {
    const cases: Array<[Record<string, string>, string]> = [
      [{ [LAMBDA_ENVIRONMENT.kmsKeyArn]: '' }, LAMBDA_ENVIRONMENT.kmsKeyArn],
      [{ [LAMBDA_ENVIRONMENT.context]: '{"mrn": 4412}' }, LAMBDA_ENVIRONMENT.context],
      [{ [LAMBDA_ENVIRONMENT.context]: 'not json MRN-4412' }, LAMBDA_ENVIRONMENT.context],
      [{ [LAMBDA_ENVIRONMENT.buckets]: '' }, LAMBDA_ENVIRONMENT.buckets],
      [{ [LAMBDA_ENVIRONMENT.table]: 'patients', [LAMBDA_ENVIRONMENT.tableConfig]: '[]' }, LAMBDA_ENVIRONMENT.tableConfig],
    ];
    for (const [override, variable] of cases) {
      let thrown: unknown;
      try {
        lambdaHandlerFromEnvironment({ env: env(override), s3: s3Client(), kms: kmsClient() });
      } catch (error) {
        thrown = error;
      }
      expect(thrown, variable).toMatchObject({ code: 'INVALID_CONFIGURATION', details: { variable } });
      expect((thrown as Error).message).not.toMatch(/4412/);
    }
  });
});
