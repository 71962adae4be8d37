// Per-tenant keys for a multi-clinic SaaS: one branch key per clinic in an AWS branch key
// store (the DynamoDB table the AWS hierarchical keyring uses), one envelope for all clinics,
// scans stored in S3 under each clinic's key, and crypto-shredding: when a clinic leaves, its
// branch key is destroyed and its objects become unreadable while the other clinic's are not.
//
//   pnpm exec tsx examples/tenant-keys.ts        (embedded default, or real AWS: see README)
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateKeyCommand, DescribeKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { createEnvelope, PhisealError } from '@phiseal/core';
import { createKeyStore, HierarchicalKeyProvider, type KeyStore } from '@phiseal/keystore';
import { encryptedS3 } from '@phiseal/s3';
import type { Environment } from './support/embedded.js';
import { assertNoPlaintext, inspectStored, type ExampleReport, type StoredRecord } from './support/report.js';
import { createBucket, deleteBucket, deleteTable, exampleName } from './support/resources.js';
import { isMain, runStandalone } from './support/standalone.js';

const scans = [
  { clinic: 'clinic-north', key: 'scans/001.txt', body: 'Patient: Jane Doe, MRN-448812. CT head: no acute bleed.' },
  { clinic: 'clinic-south', key: 'scans/002.txt', body: 'Patient: John Roe, MRN-551027. MRI knee: ACL tear.' },
];

/** The KMS key that wraps the branch keys: real AWS uses PHISEAL_KMS_KEY_ID (as an ARN); the emulator gets a new key. */
async function storeKeyArn(kms: KMSClient, env: Environment): Promise<string> {
  const configured = process.env['PHISEAL_KMS_KEY_ID'];
  if (configured && env.realAws) return (await kms.send(new DescribeKeyCommand({ KeyId: configured }))).KeyMetadata!.Arn!;
  return (await kms.send(new CreateKeyCommand({ Description: 'phiseal example key store' }))).KeyMetadata!.Arn!;
}

/** An envelope as a fresh process would have it: its own provider, so nothing is cached yet. */
function clinicEnvelope(keyStore: KeyStore, branchKeys: Record<string, string>) {
  return createEnvelope({
    keys: new HierarchicalKeyProvider({ keyStore, branchKeyIdSupplier: (context) => branchKeys[context['clinic'] ?? '']! }, { ttlSeconds: 600 }),
  });
}

export async function run(env: Environment): Promise<ExampleReport> {
  const ddb = new DynamoDBClient(env.aws);
  const kms = new KMSClient(env.aws);
  const s3 = new S3Client(env.aws);
  const tableName = exampleName('branch-keys');
  const bucket = exampleName('clinic-scans');
  const keyStore = createKeyStore({ tableName, ddbClient: ddb, kmsClient: kms, kmsKeyArn: await storeKeyArn(kms, env), audit: (e) => {
    if (e.operation === 'keystore.destroy') env.log(`audit: ${e.operation} ${e.branchKeyId ?? ''} (${e.deletedItems ?? 0} records deleted)`);
  } });
  await keyStore.createKeyStoreTable();
  await createBucket(s3, bucket);
  env.log(`created key store ${tableName} and bucket ${bucket}`);
  try {
    // One branch key per clinic; ids are opaque (the guard refuses PHI in them).
    const branchKeys: Record<string, string> = {};
    for (const [i, clinic] of ['clinic-north', 'clinic-south'].entries()) {
      branchKeys[clinic] = (await keyStore.createKey({ branchKeyId: `tenant-000${i + 1}`, encryptionContext: { tier: 'standard' } })).branchKeyId;
    }
    const objects = encryptedS3({ client: s3, envelope: clinicEnvelope(keyStore, branchKeys) });
    for (const scan of scans) await objects.putObject({ Bucket: bucket, Key: scan.key, Body: scan.body, context: { clinic: scan.clinic } });
    env.log(`stored ${scans.length} scans, each under its clinic's branch key (${Object.values(branchKeys).join(', ')})`);

    const phiValues = ['Jane Doe', 'John Roe', 'MRN-448812', 'MRN-551027', 'CT head', 'MRI knee'];
    const stored: StoredRecord[] = [];
    for (const scan of scans) {
      const raw = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: scan.key }));
      stored.push(inspectStored({ service: 'S3', location: `${bucket}/${scan.key}`, what: `object of ${scan.clinic}` }, await raw.Body!.transformToByteArray(), phiValues));
    }

    // clinic-south leaves: crypto-shred its branch key.
    const leaving = branchKeys['clinic-south']!;
    await keyStore.destroy(leaving, { confirm: leaving });
    const later = encryptedS3({ client: s3, envelope: clinicEnvelope(keyStore, branchKeys) });
    const north = await later.getObject({ Bucket: bucket, Key: scans[0]!.key, context: { clinic: 'clinic-north' } });
    if ((await north.Body.transformToString()) !== scans[0]!.body) throw new Error('clinic-north scan did not round-trip');
    try {
      await later.getObject({ Bucket: bucket, Key: scans[1]!.key, context: { clinic: 'clinic-south' } });
      throw new Error('clinic-south scan was still readable after its branch key was destroyed');
    } catch (error) {
      if (!PhisealError.is(error) || error.code !== 'BRANCH_KEY_NOT_FOUND') throw error;
    }
    env.log('after destroy: clinic-north still decrypts; clinic-south is BRANCH_KEY_NOT_FOUND (crypto-shredded)');
    return assertNoPlaintext({ example: 'tenant-keys', stored, phiValuesChecked: phiValues.length });
  } finally {
    await deleteBucket(s3, bucket);
    await deleteTable(ddb, tableName);
  }
}

if (isMain(import.meta.url)) await runStandalone(run);
