import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { CreateAliasCommand } from '@aws-sdk/client-kms';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { TagQueueCommand } from '@aws-sdk/client-sqs';
import { createBucket, createKmsKey, createQueue, createTable, dynamoClient, kmsClient, s3Client, sqsClient, uniqueName } from '@phiseal/test-support';
import { describe, expect, it } from 'vitest';
import { EXIT_CODES } from '../src/index.js';
import { cli, tempDir } from './helpers.js';

const SSN = '123-45-6789';
const CLEAN_NAMES = ['lab-results-queue', 'patients-table', 'uploads/2024/11/03/3f2b8c1e-4a5d-4e6f-8a7b-9c0d1e2f3a4b.pdf', 'imaging-archive', 'study-series-1.dcm'];

type JsonReport = { scanned: number; findings: { kind: string; where: string; resource: string; field: string; start: number; end: number; masked: string }[] };
const parse = (stdout: Buffer): JsonReport => JSON.parse(stdout.toString('utf8')) as JsonReport;

function namesFile(lines: string[]): string {
  const file = join(tempDir(), 'names.txt');
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

describe('phiseal scan of names', () => {
  it('exits non-zero for a file of names when one holds an SSN, and 0 for a clean file', async () => {
    const dirty = await cli(['scan', '--file', namesFile([...CLEAN_NAMES, `patients/${SSN}.pdf`])]);
    expect(dirty.code).toBe(EXIT_CODES.findings);
    expect(dirty.stdout.toString()).toMatch(/^ssn\s/m);
    const clean = await cli(['scan', '--file', namesFile(CLEAN_NAMES)]);
    expect(clean.code).toBe(EXIT_CODES.ok);
  });

  it('prints JSON that parses, with offsets and masked values only', async () => {
    const result = await cli(['scan', '--json', '--where', 's3.key', `patients/jane-doe/${SSN}.pdf`, 'reports/2024.pdf']);
    expect(result.code).toBe(EXIT_CODES.findings);
    const report = parse(result.stdout);
    expect(report.scanned).toBe(2);
    const ssn = report.findings.find((f) => f.kind === 'ssn');
    expect(ssn).toMatchObject({ where: 's3.key', resource: 'argument', field: '#1', start: 18, end: 29 });
    expect(ssn?.masked.slice(18, 29)).toBe('*'.repeat(11));
    for (const secret of [SSN, '6789', 'jane', 'doe', 'patients']) expect(result.stdout.toString()).not.toContain(secret);
  });

  it('reads lines from stdin with --file -', async () => {
    const result = await cli(['scan', '--file', '-', '--json'], { stdin: `${CLEAN_NAMES.join('\n')}\nSSN ${SSN}\n` });
    expect(result.code).toBe(EXIT_CODES.findings);
    expect(parse(result.stdout).findings.map((f) => [f.kind, f.resource, f.field])).toContainEqual(['ssn', 'stdin', `line ${CLEAN_NAMES.length + 1}`]);
  });

  it('is a usage error with nothing to scan or a bad limit', async () => {
    expect((await cli(['scan'])).code).toBe(EXIT_CODES.usage);
    expect((await cli(['scan', 'x', '--limit', '0'])).code).toBe(EXIT_CODES.usage);
  });

  it('reports a missing file as I/O', async () => {
    expect((await cli(['scan', '--file', join(tempDir(), 'missing.txt')])).code).toBe(EXIT_CODES.io);
  });
});

describe('phiseal scan of live resources (emulator)', () => {
  it('finds an SSN planted in an S3 object key and in user metadata', async () => {
    const bucket = await createBucket();
    await s3Client().send(new PutObjectCommand({ Bucket: bucket, Key: 'uploads/report-1.pdf', Body: 'x' }));
    await s3Client().send(new PutObjectCommand({ Bucket: bucket, Key: `patients/${SSN}/scan.pdf`, Body: 'x' }));
    await s3Client().send(new PutObjectCommand({ Bucket: bucket, Key: 'uploads/report-2.pdf', Body: 'x', Metadata: { 'patient-ssn': SSN } }));
    const result = await cli(['scan', '--s3-bucket', bucket, '--json']);
    expect(result.code).toBe(EXIT_CODES.findings);
    const findings = parse(result.stdout).findings.filter((f) => f.kind === 'ssn');
    expect(findings.map((f) => [f.where, f.field])).toEqual(
      expect.arrayContaining([
        ['s3.key', 'object key'],
        ['s3.metadata', 'metadata patient-ssn'],
      ]),
    );
    expect(result.stdout.toString()).not.toContain(SSN);
  });

  // Second outside review (docs/threat-model.md): every metadata name starting with x-amz- was
  // skipped, not only the S3 Encryption Client's own, and so were context keys starting with aws:.
  it("finds PHI in metadata another writer named x-amz-*, in a V3 material description and under an aws: context key", async () => {
    const bucket = await createBucket();
    await s3Client().send(new PutObjectCommand({ Bucket: bucket, Key: 'a/1.pdf', Body: 'x', Metadata: { 'x-amz-patient': SSN } }));
    await s3Client().send(new PutObjectCommand({ Bucket: bucket, Key: 'a/2.pdf', Body: 'x', Metadata: { 'x-amz-m': JSON.stringify({ patient: SSN }) } }));
    await s3Client().send(new PutObjectCommand({ Bucket: bucket, Key: 'a/3.pdf', Body: 'x', Metadata: { 'x-amz-t': JSON.stringify({ 'aws:patient': SSN }) } }));
    const result = await cli(['scan', '--s3-bucket', bucket, '--json']);
    expect(result.code).toBe(EXIT_CODES.findings);
    const findings = parse(result.stdout).findings.filter((f) => f.kind === 'ssn');
    expect(findings.map((f) => f.resource).sort()).toEqual([`s3://${bucket}/a/1.pdf`, `s3://${bucket}/a/2.pdf`, `s3://${bucket}/a/3.pdf`]);
    expect(result.stdout.toString()).not.toContain(SSN);
  });

  it('scans a clean bucket to exit 0', async () => {
    const bucket = await createBucket();
    await s3Client().send(new PutObjectCommand({ Bucket: bucket, Key: 'uploads/report-1.pdf', Body: 'x', Metadata: { modality: 'MR' } }));
    expect((await cli(['scan', '--s3-bucket', bucket])).code).toBe(EXIT_CODES.ok);
  });

  it('finds an SSN planted in a DynamoDB key value, within --limit', async () => {
    const table = await createTable({ partitionKey: 'pk', sortKey: 'sk' });
    await dynamoClient().send(new PutItemCommand({ TableName: table, Item: { pk: { S: 'visit-a' }, sk: { S: 'v1' } } }));
    await dynamoClient().send(new PutItemCommand({ TableName: table, Item: { pk: { S: `patient#${SSN}` }, sk: { S: 'v1' }, note: { S: 'not a key' } } }));
    const result = await cli(['scan', '--dynamodb-table', table, '--limit', '10', '--json']);
    expect(result.code).toBe(EXIT_CODES.findings);
    expect(parse(result.stdout).findings).toContainEqual(expect.objectContaining({ kind: 'ssn', where: 'dynamodb.key', field: 'key pk' }));
    expect(result.stdout.toString()).not.toContain(SSN);
  });

  it('finds PHI in an SQS queue tag, narrowed by --sqs-prefix', async () => {
    const url = await createQueue();
    await sqsClient().send(new TagQueueCommand({ QueueUrl: url, Tags: { owner: `ssn ${SSN}` } }));
    const name = url.slice(url.lastIndexOf('/') + 1);
    const result = await cli(['scan', '--sqs-prefix', name, '--json']);
    expect(result.code).toBe(EXIT_CODES.findings);
    expect(parse(result.stdout).findings).toContainEqual(expect.objectContaining({ kind: 'ssn', where: 'tag', field: 'tag owner' }));
  });

  it('finds a name in a KMS alias', async () => {
    const keyId = await createKmsKey();
    const alias = `alias/${uniqueName('jane-doe')}`;
    await kmsClient().send(new CreateAliasCommand({ AliasName: alias, TargetKeyId: keyId }));
    const result = await cli(['scan', '--kms', '--json', '--limit', '100000']);
    expect(result.code).toBe(EXIT_CODES.findings);
    expect(parse(result.stdout).findings).toContainEqual(expect.objectContaining({ kind: 'name', where: 'kms.alias', start: 6, end: 14 }));
  });

  it('reports a bucket that does not exist as an AWS failure (exit 6)', async () => {
    const result = await cli(['scan', '--s3-bucket', uniqueName('missing')]);
    expect(result.code).toBe(EXIT_CODES.io);
    expect(result.stderr).toMatch(/^phiseal: AWS_REQUEST_FAILED: /);
  });
});
