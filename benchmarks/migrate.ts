// Migration throughput per process (issue 18): records/s through phiseal's per-record units
// (DynamoDB items through migrateScanSegment, 64 KiB S3 objects through migrateBucket and
// migrateObject) next
// to a plain copy of the same data with the AWS SDK and no encryption (read, then write it
// back), in one run, taking turns round by round so load on the machine hits both alike;
// and the KMS calls the migration makes per 100,000 records (counted on the KMS client).
// Against the moto emulator, which is the bottleneck of both sides: the ratio says how much
// the encryption, the state checks and the conditional writes add to an emulator round trip.
//
//   pnpm bench migrate                    (or: pnpm exec tsx benchmarks/migrate.ts)
//   BENCH_MIGRATE_ITEMS=2000 BENCH_MIGRATE_OBJECTS=400 BENCH_MIGRATE_ROUNDS=4  (the defaults)
//   BENCH_MIGRATE_ONLY=dynamodb|s3   (one half only)
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { BatchWriteItemCommand, CreateTableCommand, DynamoDBClient, PutItemCommand, ScanCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { createEnvelope, KmsKeyProvider, type KeyProvider } from '@phiseal/core';
import { createKeyStore, HierarchicalKeyProvider } from '@phiseal/keystore';
import type { TableConfig } from '@phiseal/dynamodb';
import { migrateBucket, migrateObject, migrateScanSegment } from '@phiseal/migrate';
import { countCommands, startBenchEmulator, type CommandCounter, type Emulator } from './support/emulator.js';
import { environmentMarkdown, verdict, writeResult } from './support/results.js';
import { formatCount, formatNumber, formatRatio, markdownTable } from './support/table.js';

const ITEMS = Number(process.env['BENCH_MIGRATE_ITEMS'] ?? 2000);
const OBJECTS = Number(process.env['BENCH_MIGRATE_OBJECTS'] ?? 400);
const ROUNDS = Number(process.env['BENCH_MIGRATE_ROUNDS'] ?? 4);
// 'dynamodb' or 's3' runs one half (for iterating); the result file is written either way.
const ONLY = process.env['BENCH_MIGRATE_ONLY'];
const CONCURRENCY = 16;
const OBJECT_BYTES = 64 * 1024;
const TARGET = 0.8;

const log = (line: string) => process.stderr.write(`${line}\n`);
const load = () => loadavg().map((n) => n.toFixed(2)).join(' / ');
// Consonant names: digit runs would look like record numbers to the PHI guard.
const LETTERS = 'bcdfghjklmnpqrstvwxz';
const nameOf = (i: number) => `rec-${Array.from({ length: 5 }, (_, d) => LETTERS[Math.floor(i / 20 ** d) % 20]).join('')}`;

async function mapLimit<T>(items: readonly T[], limit: number, work: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: limit }, async () => {
    while (next < items.length) await work(items[next++]!);
  }));
}

// cpuMicros: this process's CPU time (user + system) while the side ran; the sides never
// overlap, so it is that side's client-side cost (SDK, encryption), the emulator's excluded.
type Side = { records: number; seconds: number; cpuMicros: number };
const rate = (side: Side) => side.records / side.seconds;
async function timed(side: Side, run: () => Promise<number>): Promise<void> {
  const start = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  side.records += await run();
  side.seconds += Number(process.hrtime.bigint() - start) / 1e9;
  const used = process.cpuUsage(cpu);
  side.cpuMicros += used.user + used.system;
}
const cpuPerRecord = (side: Side) => formatNumber(side.cpuMicros / 1000 / Math.max(1, side.records));

// cacheSeconds: how long one KMS answer serves (data-key cache max age, or the branch key TTL).
type Row = { what: string; phiseal: Side; plain: Side; kms: number; cacheSeconds: number; loads: string[]; requests: { phiseal: CommandCounter; plain: CommandCounter } };

// KMS calls per 100,000 records: scaled by records when each record needed its own call; else
// the calls of one cache lifetime, once per lifetime that 100,000 records take at this rate.
function kmsPer100k(row: Row): number {
  if (row.kms >= row.phiseal.records / 2) return Math.round((row.kms * 100_000) / row.phiseal.records);
  return Math.ceil(100_000 / rate(row.phiseal) / row.cacheSeconds) * Math.max(1, row.kms);
}

async function dynamoSection(emulator: Emulator, keys: KeyProvider, label: string, cacheSeconds: number, kms: CommandCounter): Promise<Row> {
  const envelope = createEnvelope({ keys });
  const ddb = new DynamoDBClient(emulator.clientConfig);
  const [mine, theirs] = [new DynamoDBClient(emulator.clientConfig), new DynamoDBClient(emulator.clientConfig)];
  const tables = [`bench-mig-${randomBytes(4).toString('hex')}`, `bench-copy-${randomBytes(4).toString('hex')}`];
  for (const TableName of tables) {
    await ddb.send(new CreateTableCommand({ TableName, BillingMode: 'PAY_PER_REQUEST', AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }] }));
    for (let i = 0; i < ITEMS; i += 25) {
      const batch = Array.from({ length: Math.min(25, ITEMS - i) }, (_, j) => ({ PutRequest: { Item: { pk: { S: nameOf(i + j) }, visit: { S: 'glucose 5.4 mmol/L, follow-up in two weeks' }, dose: { N: '12' }, note: { S: 'n' } } } }));
      await ddb.send(new BatchWriteItemCommand({ RequestItems: { [TableName]: batch } }));
    }
  }
  const table: TableConfig = { tableName: tables[0]!, partitionKey: 'pk', actions: { note: 'sign' }, envelope };
  const row: Row = { what: `DynamoDB items (4 attributes, ${label})`, phiseal: { records: 0, seconds: 0, cpuMicros: 0 }, plain: { records: 0, seconds: 0, cpuMicros: 0 }, kms: 0, cacheSeconds, loads: [load()], requests: { phiseal: countCommands(mine), plain: countCommands(theirs) } };
  const phiseal = (segment: number) => timed(row.phiseal, async () => {
    kms.reset();
    const { report } = await migrateScanSegment({ client: mine, table, segment, totalSegments: ROUNDS, concurrency: CONCURRENCY });
    row.kms += kms.total();
    return report.migrated;
  });
  // The same work without phiseal: scan the segment, write each item back as it is.
  const plain = (segment: number) => timed(row.plain, async () => {
    let startKey: Record<string, AttributeValue> | undefined;
    let count = 0;
    do {
      const page = await theirs.send(new ScanCommand({ TableName: tables[1], Segment: segment, TotalSegments: ROUNDS, Limit: 100, ExclusiveStartKey: startKey }));
      await mapLimit(page.Items ?? [], CONCURRENCY, (Item) => theirs.send(new PutItemCommand({ TableName: tables[1], Item })));
      count += page.Items?.length ?? 0;
      startKey = page.LastEvaluatedKey;
    } while (startKey !== undefined);
    return count;
  });
  for (let r = 0; r < ROUNDS; r++) {
    if (r % 2 === 0) await phiseal(r).then(() => plain(r));
    else await plain(r).then(() => phiseal(r));
  }
  row.loads.push(load());
  return row;
}

// 'bucket': migrateBucket over a listed prefix (the CLI's path: the listing proves that no
// instruction file exists) next to a copy that lists the same prefix. 'object': migrateObject
// per key (a manifest or Batch Operations task: the instruction file is looked up) next to a
// copy of the same keys.
async function s3Section(emulator: Emulator, envelope: ReturnType<typeof createEnvelope>, kms: CommandCounter, mode: 'bucket' | 'object'): Promise<Row> {
  const s3 = new S3Client({ ...emulator.clientConfig, forcePathStyle: true });
  const [mine, theirs] = [new S3Client({ ...emulator.clientConfig, forcePathStyle: true }), new S3Client({ ...emulator.clientConfig, forcePathStyle: true })];
  const buckets = [`bench-mig-${randomBytes(4).toString('hex')}`, `bench-copy-${randomBytes(4).toString('hex')}`];
  // One prefix per round, so each round's listing holds exactly its own keys.
  const keys = Array.from({ length: OBJECTS }, (_, i) => `r${i % ROUNDS}/${nameOf(i)}.bin`);
  for (const Bucket of buckets) {
    await s3.send(new CreateBucketCommand({ Bucket }));
    await mapLimit(keys, CONCURRENCY, (Key) => s3.send(new PutObjectCommand({ Bucket, Key, Body: randomBytes(OBJECT_BYTES), ContentType: 'application/octet-stream' })));
  }
  const config = { envelope };
  const what = mode === 'bucket' ? 'S3 objects (64 KiB), listed bucket' : 'S3 objects (64 KiB), one by one (manifest)';
  const row: Row = { what, phiseal: { records: 0, seconds: 0, cpuMicros: 0 }, plain: { records: 0, seconds: 0, cpuMicros: 0 }, kms: 0, cacheSeconds: 300, loads: [load()], requests: { phiseal: countCommands(mine), plain: countCommands(theirs) } };
  const chunk = (r: number) => keys.filter((key) => key.startsWith(`r${r}/`));
  const phiseal = (r: number) => timed(row.phiseal, async () => {
    kms.reset();
    let migrated = 0;
    if (mode === 'bucket') {
      migrated = (await migrateBucket({ client: mine, bucket: buckets[0]!, prefix: `r${r}/`, config, concurrency: CONCURRENCY })).migrated;
    } else {
      await mapLimit(chunk(r), CONCURRENCY, async (key) => {
        const outcome = await migrateObject({ client: mine, bucket: buckets[0]!, key, config });
        if (outcome.outcome === 'migrated') migrated++;
      });
    }
    row.kms += kms.total();
    return migrated;
  });
  // The same work without phiseal: (list the prefix,) read each object and write it back as it is.
  const copy = async (Key: string) => {
    const got = await theirs.send(new GetObjectCommand({ Bucket: buckets[1], Key }));
    const Body = await got.Body!.transformToByteArray();
    await theirs.send(new PutObjectCommand({ Bucket: buckets[1], Key, Body, ContentType: got.ContentType, Metadata: got.Metadata }));
  };
  const plain = (r: number) => timed(row.plain, async () => {
    if (mode === 'object') {
      await mapLimit(chunk(r), CONCURRENCY, copy);
      return chunk(r).length;
    }
    let count = 0;
    let token: string | undefined;
    do {
      const page = await theirs.send(new ListObjectsV2Command({ Bucket: buckets[1], Prefix: `r${r}/`, ContinuationToken: token }));
      const listed = (page.Contents ?? []).flatMap((o) => (o.Key === undefined ? [] : [o.Key]));
      await mapLimit(listed, CONCURRENCY, copy);
      count += listed.length;
      token = page.IsTruncated === true ? page.NextContinuationToken : undefined;
    } while (token !== undefined);
    return count;
  });
  for (let r = 0; r < ROUNDS; r++) {
    if (r % 2 === 0) await phiseal(r).then(() => plain(r));
    else await plain(r).then(() => phiseal(r));
  }
  row.loads.push(load());
  return row;
}

const perRecord = (counter: CommandCounter, side: Side) => formatNumber(counter.total() / Math.max(1, side.records));

// A branch key in a key store on the emulator: data keys come from the branch key (one KMS
// Decrypt per cache TTL), not from KMS per item.
async function branchKeys(emulator: Emulator, kmsClient: KMSClient, kmsKeyArn: string): Promise<KeyProvider> {
  const keyStore = createKeyStore({ tableName: `bench-ks-${randomBytes(4).toString('hex')}`, ddbClient: new DynamoDBClient(emulator.clientConfig), kmsClient, kmsKeyArn });
  await keyStore.createKeyStoreTable();
  const { branchKeyId } = await keyStore.createKey();
  return new HierarchicalKeyProvider({ keyStore, branchKeyId });
}

let emulator: Emulator | undefined;
try {
  emulator = await startBenchEmulator();
  const kmsClient = new KMSClient(emulator.clientConfig);
  const kms = countCommands(kmsClient);
  const keyId = (await kmsClient.send(new CreateKeyCommand({ Description: 'migrate bench' }))).KeyMetadata!.Arn!;
  const kmsKeys = () => new KmsKeyProvider({ keyId, client: kmsClient });
  const rows: Row[] = [];
  if (ONLY !== 's3') {
    log(`DynamoDB (KMS key): ${ITEMS} items x 2 tables, ${ROUNDS} rounds (load ${load()})`);
    rows.push(await dynamoSection(emulator, kmsKeys(), 'KMS key', 300, kms));
    log(`DynamoDB (branch key): ${ITEMS} items x 2 tables, ${ROUNDS} rounds (load ${load()})`);
    rows.push(await dynamoSection(emulator, await branchKeys(emulator, kmsClient, keyId), 'branch key', 600, kms));
  }
  if (ONLY !== 'dynamodb') {
    log(`S3 (listed bucket): ${OBJECTS} objects of 64 KiB x 2 buckets, ${ROUNDS} rounds (load ${load()})`);
    rows.push(await s3Section(emulator, createEnvelope({ keys: kmsKeys() }), kms, 'bucket'));
    log(`S3 (one by one): ${OBJECTS} objects of 64 KiB x 2 buckets, ${ROUNDS} rounds (load ${load()})`);
    rows.push(await s3Section(emulator, createEnvelope({ keys: kmsKeys() }), kms, 'object'));
  }
  const table = markdownTable(
    ['Records', 'phiseal migration (records/s)', 'plain SDK copy (records/s)', 'phiseal / plain', `target ≥ ${TARGET}`, 'AWS requests per record (phiseal / plain)', 'Node CPU ms per record (phiseal / plain)', 'KMS calls (this run)', 'KMS calls per 100,000 records', 'load average (1/5/15 min) before → after'],
    rows.map((row) => {
      const ratio = rate(row.phiseal) / rate(row.plain);
      return [
        `${row.what}: ${formatCount(row.phiseal.records)}`, formatNumber(rate(row.phiseal)), formatNumber(rate(row.plain)), formatRatio(ratio),
        verdict(ratio >= TARGET), `${perRecord(row.requests.phiseal, row.phiseal)} / ${perRecord(row.requests.plain, row.plain)}`, `${cpuPerRecord(row.phiseal)} / ${cpuPerRecord(row.plain)}`, formatCount(row.kms), formatCount(kmsPer100k(row)), row.loads.join(' → '),
      ];
    }),
    ['left', 'right', 'right', 'right', 'left', 'right', 'right', 'right', 'right', 'left'],
  );
  const markdown = `# Migration throughput (benchmarks/migrate.ts)

${environmentMarkdown()}
- Emulator: moto on 127.0.0.1 (the bottleneck of both sides); KMS: moto, one symmetric key, \`KmsKeyProvider\` with the default data-key cache
- One process, ${CONCURRENCY} records in flight per side; the two sides take turns over ${ROUNDS} rounds (Scan segments / key slices), each record once

${table}

- *phiseal migration*: DynamoDB \`migrateScanSegment\` (Scan, then per item: encrypt to the Database Encryption SDK format and a \`PutItem\` conditioned on every value read); S3 listed bucket: \`migrateBucket\` over a prefix (list, then per object one \`GetObject\` whose headers classify it, encrypt to S3 Encryption Client V3, one \`PutObject\` conditional on the ETag read, keeping metadata and tags; the listing proves no instruction file exists); S3 one by one: \`migrateObject\` per key, as from a manifest or a Batch Operations task (the same plus a lookup of \`<key>.instruction\`, a 404).
- *plain SDK copy*: the same records read and written back unchanged with the AWS SDK (Scan + \`PutItem\`; \`ListObjectsV2\` of the same prefix, or the same keys, + \`GetObject\` + \`PutObject\`), same clients' settings, same concurrency, no encryption, no condition.
- KMS calls per 100,000 records: the run's count scaled to 100,000 records where every record needed its own call; otherwise one cache lifetime's calls (data-key cache: 5 minutes; branch key: 10 minutes TTL) for each lifetime 100,000 records take at the measured rate, in one process. S3 objects of one bucket share one encryption context, so the data-key cache serves them all from one \`GenerateDataKey\`; a DynamoDB item's encryption context holds its partition key (Database Encryption SDK), so with a KMS key provider each item needs its own data key (a KMS call per item, which on the emulator is also a round trip per item); with a branch key (\`HierarchicalKeyProvider\`) the data keys are derived locally.
- Node CPU ms per record: this process's CPU time (user + system) while that side ran, per record: the client side's own cost (SDK, encryption, checks), the emulator's excluded.
- AWS requests per record: the commands each side's S3/DynamoDB client sent, per record. On the emulator the ratio follows them (the listing and the bucket's versioning check are shared by a page of objects).
`;
  process.stdout.write(markdown);
  log(`wrote ${writeResult('migrate', markdown)}`);
} finally {
  await emulator?.stop();
}
