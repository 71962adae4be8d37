// Migration throughput per process (issue 18): records/s through phiseal's per-record units
// (DynamoDB items through migrateScanSegment and rewrapScanSegment, 64 KiB S3 objects through
// migrateBucket over a listing and a CSV manifest, migrateObject, and key rotation through
// rewrapBucket) next to a plain copy of the same data with the AWS SDK and no encryption (read, then write it
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
import { createEnvelope, KmsKeyProvider, type Envelope, type KeyProvider } from '@phiseal/core';
import { createKeyStore, HierarchicalKeyProvider, type KeyStore } from '@phiseal/keystore';
import { encryptItem, type TableConfig } from '@phiseal/dynamodb';
import { migrateBucket, migrateObject, migrateScanSegment, rewrapBucket, rewrapScanSegment } from '@phiseal/migrate';
import { encryptedS3 } from '@phiseal/s3';
import { countCommands, startBenchEmulator, type CommandCounter, type Emulator } from './support/emulator.js';
import { environmentMarkdown, verdict, writeResult } from './support/results.js';
import { mainEmulatorPid, processCpuMicros, startSideEmulator } from './support/side-emulator.js';
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

// The sides take turns round by round, the first of each pair alternating, so load on the
// machine (and a warm emulator) hits both alike.
async function takeTurns(phiseal: (round: number) => Promise<void>, plain: (round: number) => Promise<void>): Promise<void> {
  for (let r = 0; r < ROUNDS; r++) {
    if (r % 2 === 0) await phiseal(r).then(() => plain(r));
    else await plain(r).then(() => phiseal(r));
  }
}

// The plain copy of one object: read it and write it back as it is, with the AWS SDK.
async function copyObject(client: S3Client, Bucket: string, Key: string): Promise<void> {
  const got = await client.send(new GetObjectCommand({ Bucket, Key }));
  const Body = await got.Body!.transformToByteArray();
  await client.send(new PutObjectCommand({ Bucket, Key, Body, ContentType: got.ContentType, Metadata: got.Metadata }));
}

// The plain copy of a listed prefix: list it page by page and copy each object; the count copied.
async function copyListed(client: S3Client, Bucket: string, Prefix: string): Promise<number> {
  let count = 0;
  let token: string | undefined;
  do {
    const page = await client.send(new ListObjectsV2Command({ Bucket, Prefix, ContinuationToken: token }));
    const listed = (page.Contents ?? []).flatMap((o) => (o.Key === undefined ? [] : [o.Key]));
    await mapLimit(listed, CONCURRENCY, (Key) => copyObject(client, Bucket, Key));
    count += listed.length;
    token = page.IsTruncated === true ? page.NextContinuationToken : undefined;
  } while (token !== undefined);
  return count;
}

// cpuMicros: this process's CPU time (user + system) while the side ran; the sides never
// overlap, so it is that side's client-side cost (SDK, encryption), the emulator's excluded.
// emulatorMicros: the (main) moto process's CPU time meanwhile, the server side of the same
// requests (Linux /proc; undefined elsewhere).
type Side = { records: number; seconds: number; cpuMicros: number; emulatorMicros: number | undefined };
const newSide = (): Side => ({ records: 0, seconds: 0, cpuMicros: 0, emulatorMicros: 0 });
const rate = (side: Side) => side.records / side.seconds;
let emulatorPid: number | undefined;
async function timed(side: Side, run: () => Promise<number>): Promise<void> {
  const start = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  const emulatorCpu = processCpuMicros(emulatorPid);
  side.records += await run();
  side.seconds += Number(process.hrtime.bigint() - start) / 1e9;
  const used = process.cpuUsage(cpu);
  side.cpuMicros += used.user + used.system;
  const emulatorNow = processCpuMicros(emulatorPid);
  side.emulatorMicros = side.emulatorMicros === undefined || emulatorCpu === undefined || emulatorNow === undefined ? undefined : side.emulatorMicros + emulatorNow - emulatorCpu;
}
const cpuPerRecord = (side: Side) => formatNumber(side.cpuMicros / 1000 / Math.max(1, side.records));
const emulatorPerRecord = (side: Side) => (side.emulatorMicros === undefined ? 'n/a' : formatNumber(side.emulatorMicros / 1000 / Math.max(1, side.records)));

// cacheSeconds: how long one KMS answer serves (data-key cache max age, or the branch key TTL).
type Row = { what: string; phiseal: Side; plain: Side; kms: number; cacheSeconds: number; loads: string[]; requests: { phiseal: CommandCounter; plain: CommandCounter } };

// KMS calls per 100,000 records: scaled by records when each record needed its own call; else
// the calls of one cache lifetime, once per lifetime that 100,000 records take at this rate.
function kmsPer100k(row: Row): number {
  if (row.kms >= row.phiseal.records / 2) return Math.round((row.kms * 100_000) / row.phiseal.records);
  return Math.ceil(100_000 / rate(row.phiseal) / row.cacheSeconds) * Math.max(1, row.kms);
}

type Item = Record<string, AttributeValue>;
const plainRecord = (i: number): Item => ({ pk: { S: nameOf(i) }, visit: { S: 'glucose 5.4 mmol/L, follow-up in two weeks' }, dose: { N: '12' }, note: { S: 'n' } });
// One logical table name for every bench table: the DB-ESDK binds items to it, so items sealed
// before their table exists (the rewrap rows) open in it, and the plain copy holds the same bytes.
const dynamoTable = (tableName: string, envelope: Envelope): TableConfig => ({ tableName, logicalTableName: 'bench-items', partitionKey: 'pk', actions: { note: 'sign' }, envelope });

// Two tables holding the same ITEMS records (as `make` builds them): one for phiseal, one for the plain copy.
async function dynamoTables(emulator: Emulator, make: (i: number) => Promise<Item> | Item): Promise<[string, string]> {
  const ddb = new DynamoDBClient(emulator.clientConfig);
  const tables: [string, string] = [`bench-mig-${randomBytes(4).toString('hex')}`, `bench-copy-${randomBytes(4).toString('hex')}`];
  const records: Item[] = [];
  for (let i = 0; i < ITEMS; i++) records.push(await make(i));
  for (const TableName of tables) {
    await ddb.send(new CreateTableCommand({ TableName, BillingMode: 'PAY_PER_REQUEST', AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }] }));
    for (let i = 0; i < ITEMS; i += 25) {
      await ddb.send(new BatchWriteItemCommand({ RequestItems: { [TableName]: records.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })) } }));
    }
  }
  return tables;
}

// One DynamoDB row: phiseal's unit of work (`segmentRun`, one Scan segment per round) next to
// a plain copy of the other table's same records (Scan the segment, write each item back as it is).
async function dynamoRow(emulator: Emulator, what: string, tables: [string, string], kms: CommandCounter, cacheSeconds: number, segmentRun: (client: DynamoDBClient, segment: number) => Promise<number>): Promise<Row> {
  const [mine, theirs] = [new DynamoDBClient(emulator.clientConfig), new DynamoDBClient(emulator.clientConfig)];
  const row: Row = { what, phiseal: newSide(), plain: newSide(), kms: 0, cacheSeconds, loads: [load()], requests: { phiseal: countCommands(mine), plain: countCommands(theirs) } };
  const phiseal = (segment: number) => timed(row.phiseal, async () => {
    kms.reset();
    const done = await segmentRun(mine, segment);
    row.kms += kms.total();
    return done;
  });
  const plain = (segment: number) => timed(row.plain, async () => {
    let startKey: Item | undefined;
    let count = 0;
    do {
      const page = await theirs.send(new ScanCommand({ TableName: tables[1], Segment: segment, TotalSegments: ROUNDS, Limit: 100, ExclusiveStartKey: startKey }));
      await mapLimit(page.Items ?? [], CONCURRENCY, (Item) => theirs.send(new PutItemCommand({ TableName: tables[1], Item })));
      count += page.Items?.length ?? 0;
      startKey = page.LastEvaluatedKey;
    } while (startKey !== undefined);
    return count;
  });
  await takeTurns(phiseal, plain);
  row.loads.push(load());
  return row;
}

// migrateScanSegment over plaintext records, encrypting under `keys`.
async function dynamoMigrateRow(emulator: Emulator, keys: KeyProvider, label: string, cacheSeconds: number, kms: CommandCounter): Promise<Row> {
  const tables = await dynamoTables(emulator, plainRecord);
  const table = dynamoTable(tables[0], createEnvelope({ keys }));
  return dynamoRow(emulator, `DynamoDB items (4 attributes, ${label})`, tables, kms, cacheSeconds, async (client, segment) => {
    const { report } = await migrateScanSegment({ client, table, segment, totalSegments: ROUNDS, concurrency: CONCURRENCY });
    return report.migrated;
  });
}

// rewrapScanSegment over records encrypted under `seed` (both tables hold the same encrypted
// records, so the plain copy moves as many bytes), re-keyed with the providers `keys()` gives
// once the tables are filled (a branch key is versioned in between).
async function dynamoRewrapRow(emulator: Emulator, label: string, cacheSeconds: number, kms: CommandCounter, seed: KeyProvider, keys: () => Promise<{ from: KeyProvider; to: KeyProvider }>): Promise<Row> {
  const sealing = dynamoTable('seed', createEnvelope({ keys: seed, cache: false }));
  const tables = await dynamoTables(emulator, (i) => encryptItem(plainRecord(i), sealing));
  const { from, to } = await keys();
  const { envelope: _sealing, ...table } = dynamoTable(tables[0], sealing.envelope);
  return dynamoRow(emulator, `DynamoDB rewrap (4 attributes, ${label})`, tables, kms, cacheSeconds, async (client, segment) => {
    const { report } = await rewrapScanSegment({ client, table, from, to, segment, totalSegments: ROUNDS, concurrency: CONCURRENCY });
    return report.migrated;
  });
}

// 'bucket': migrateBucket over a listed prefix (the CLI's path: the listing proves that no
// instruction file exists) next to a copy that lists the same prefix. 'manifest': migrateBucket
// over a CSV manifest of the same keys (one live listing of the batch's key range proves it)
// next to a copy of the same keys. 'object': migrateObject per key (a single object, a Batch
// Operations task: the instruction file is looked up with a HeadObject) next to a copy of the
// same keys.
type S3Mode = 'bucket' | 'manifest' | 'object';
const S3_ROWS: Record<S3Mode, string> = {
  bucket: 'S3 objects (64 KiB), listed bucket',
  manifest: 'S3 objects (64 KiB), CSV manifest',
  object: 'S3 objects (64 KiB), one by one (migrateObject: a Batch Operations task)',
};
async function s3Section(emulator: Emulator, envelope: ReturnType<typeof createEnvelope>, kms: CommandCounter, mode: S3Mode): Promise<Row> {
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
  const what = S3_ROWS[mode];
  const row: Row = { what, phiseal: newSide(), plain: newSide(), kms: 0, cacheSeconds: 300, loads: [load()], requests: { phiseal: countCommands(mine), plain: countCommands(theirs) } };
  const chunk = (r: number) => keys.filter((key) => key.startsWith(`r${r}/`));
  // The manifests live outside the rounds' prefixes; they are written before the timing starts.
  if (mode === 'manifest') {
    for (let r = 0; r < ROUNDS; r++) {
      await s3.send(new PutObjectCommand({ Bucket: buckets[0], Key: `manifests/r${r}.csv`, Body: chunk(r).map((key) => `${buckets[0]},${encodeURIComponent(key)}`).join('\n') }));
    }
  }
  const phiseal = (r: number) => timed(row.phiseal, async () => {
    kms.reset();
    let migrated = 0;
    if (mode === 'bucket') {
      migrated = (await migrateBucket({ client: mine, bucket: buckets[0]!, prefix: `r${r}/`, config, concurrency: CONCURRENCY })).migrated;
    } else if (mode === 'manifest') {
      migrated = (await migrateBucket({ client: mine, bucket: buckets[0]!, manifest: `s3://${buckets[0]}/manifests/r${r}.csv`, config, concurrency: CONCURRENCY })).migrated;
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
  const copy = (Key: string) => copyObject(theirs, buckets[1]!, Key);
  const plain = (r: number) => timed(row.plain, async () => {
    if (mode !== 'bucket') {
      await mapLimit(chunk(r), CONCURRENCY, copy);
      return chunk(r).length;
    }
    return copyListed(theirs, buckets[1]!, `r${r}/`);
  });
  await takeTurns(phiseal, plain);
  row.loads.push(load());
  return row;
}

// Key rotation (rewrapBucket over a listed prefix, from one KMS key to another): only the
// wrapped data key changes, by a conditional copy of the object onto itself (metadata mode) or
// a conditional PutObject of its instruction file; the body is never read. Next to the same
// plain copy as the listed-bucket row (list, GET, PUT of the 64 KiB objects).
async function s3RewrapSection(emulator: Emulator, kmsClient: KMSClient, fromKeyId: string, toKeyId: string, kms: CommandCounter, instructionFile: boolean): Promise<Row> {
  const s3 = new S3Client({ ...emulator.clientConfig, forcePathStyle: true });
  const [mine, theirs] = [new S3Client({ ...emulator.clientConfig, forcePathStyle: true }), new S3Client({ ...emulator.clientConfig, forcePathStyle: true })];
  const buckets = [`bench-rw-${randomBytes(4).toString('hex')}`, `bench-copy-${randomBytes(4).toString('hex')}`];
  const keys = Array.from({ length: OBJECTS }, (_, i) => `r${i % ROUNDS}/${nameOf(i)}.bin`);
  const from = new KmsKeyProvider({ keyId: fromKeyId, client: kmsClient });
  const to = new KmsKeyProvider({ keyId: toKeyId, client: kmsClient });
  const writer = createEnvelope({ keys: from });
  const encrypted = encryptedS3({ client: s3, envelope: writer, instructionFile });
  await s3.send(new CreateBucketCommand({ Bucket: buckets[0] }));
  await s3.send(new CreateBucketCommand({ Bucket: buckets[1] }));
  await mapLimit(keys, CONCURRENCY, (Key) => encrypted.putObject({ Bucket: buckets[0]!, Key, Body: randomBytes(OBJECT_BYTES), ContentType: 'application/octet-stream' }));
  await mapLimit(keys, CONCURRENCY, (Key) => s3.send(new PutObjectCommand({ Bucket: buckets[1], Key, Body: randomBytes(OBJECT_BYTES), ContentType: 'application/octet-stream' })));
  writer.destroy();
  const what = `S3 rewrap (64 KiB, key-only swap, ${instructionFile ? 'instruction file' : 'metadata'}), listed bucket`;
  const row: Row = { what, phiseal: newSide(), plain: newSide(), kms: 0, cacheSeconds: 300, loads: [load()], requests: { phiseal: countCommands(mine), plain: countCommands(theirs) } };
  const phiseal = (r: number) => timed(row.phiseal, async () => {
    kms.reset();
    const report = await rewrapBucket({ client: mine, bucket: buckets[0]!, prefix: `r${r}/`, from, to, concurrency: CONCURRENCY });
    row.kms += kms.total();
    return report.migrated;
  });
  const plain = (r: number) => timed(row.plain, () => copyListed(theirs, buckets[1]!, `r${r}/`));
  await takeTurns(phiseal, plain);
  row.loads.push(load());
  return row;
}

const perRecord = (counter: CommandCounter, side: Side) => formatNumber(counter.total() / Math.max(1, side.records));

// A branch key in a key store on the emulator: data keys come from the branch key (one KMS
// Decrypt per cache TTL), not from KMS per item.
async function branchKeys(emulator: Emulator, kmsClient: KMSClient, kmsKeyArn: string): Promise<{ keyStore: KeyStore; branchKeyId: string; provider: () => HierarchicalKeyProvider }> {
  const keyStore = createKeyStore({ tableName: `bench-ks-${randomBytes(4).toString('hex')}`, ddbClient: new DynamoDBClient(emulator.clientConfig), kmsClient, kmsKeyArn });
  await keyStore.createKeyStoreTable();
  const { branchKeyId } = await keyStore.createKey();
  return { keyStore, branchKeyId, provider: () => new HierarchicalKeyProvider({ keyStore, branchKeyId }) };
}

// The DynamoDB rows. KMS runs on a moto process of its own (`kmsSide`): in AWS, KMS is a
// separate service whose requests cost DynamoDB nothing, while on one shared moto process every
// GenerateDataKey is also a request the DynamoDB emulator serves. The shared-process figure is
// kept as an information row. Returns the rows and the KMS emulator's CPU per record of the KMS row.
async function dynamoRows(emulator: Emulator, sharedKms: { client: KMSClient; counter: CommandCounter; keyId: string }): Promise<{ rows: Row[]; kmsEmulatorMs: string }> {
  const kmsSide = await startSideEmulator();
  try {
    const client = new KMSClient(kmsSide.clientConfig);
    const counter = countCommands(client);
    const newKey = async () => (await client.send(new CreateKeyCommand({ Description: 'migrate bench' }))).KeyMetadata!.Arn!;
    const [keyA, keyB] = [await newKey(), await newKey()];
    const kmsKey = (keyId: string, on = client) => new KmsKeyProvider({ keyId, client: on });
    const rows: Row[] = [];
    // The information row runs first: the first row also warms the process (JIT, sockets), which
    // would otherwise weigh on the KMS-key row's first rounds.
    log(`DynamoDB (KMS key on the shared emulator, information): ${ITEMS} items x 2 tables, ${ROUNDS} rounds (load ${load()})`);
    rows.push(await dynamoMigrateRow(emulator, kmsKey(sharedKms.keyId, sharedKms.client), 'KMS key, KMS on the same moto process: information', 300, sharedKms.counter));
    log(`DynamoDB (KMS key on its own emulator): (load ${load()})`);
    const kmsCpu = processCpuMicros(kmsSide.pid);
    rows.push(await dynamoMigrateRow(emulator, kmsKey(keyA), 'KMS key', 300, counter));
    const kmsCpuAfter = processCpuMicros(kmsSide.pid);
    const kmsEmulatorMs = kmsCpu === undefined || kmsCpuAfter === undefined ? 'n/a' : formatNumber((kmsCpuAfter - kmsCpu) / 1000 / Math.max(1, rows[1]!.phiseal.records));
    log(`DynamoDB (branch key): (load ${load()})`);
    const branch = await branchKeys(emulator, client, keyA);
    rows.push(await dynamoMigrateRow(emulator, branch.provider(), 'branch key', 600, counter));
    log(`DynamoDB rewrap (branch key, older version -> active): (load ${load()})`);
    rows.push(await dynamoRewrapRow(emulator, 'branch key: older version → active', 600, counter, branch.provider(), async () => {
      await branch.keyStore.versionKey(branch.branchKeyId);
      const current = branch.provider();
      return { from: current, to: current };
    }));
    log(`DynamoDB rewrap (KMS key A -> B): (load ${load()})`);
    rows.push(await dynamoRewrapRow(emulator, 'KMS key A → KMS key B', 300, counter, kmsKey(keyA), () => Promise.resolve({ from: kmsKey(keyA), to: kmsKey(keyB) })));
    return { rows, kmsEmulatorMs };
  } finally {
    await kmsSide.stop();
  }
}

let emulator: Emulator | undefined;
try {
  emulator = await startBenchEmulator();
  const kmsClient = new KMSClient(emulator.clientConfig);
  const kms = countCommands(kmsClient);
  const keyId = (await kmsClient.send(new CreateKeyCommand({ Description: 'migrate bench' }))).KeyMetadata!.Arn!;
  const kmsKeys = () => new KmsKeyProvider({ keyId, client: kmsClient });
  const rows: Row[] = [];
  emulatorPid = mainEmulatorPid();
  let kmsEmulatorMs = 'n/a';
  if (ONLY !== 's3') {
    const dynamo = await dynamoRows(emulator, { client: kmsClient, counter: kms, keyId });
    rows.push(...dynamo.rows);
    kmsEmulatorMs = dynamo.kmsEmulatorMs;
  }
  if (ONLY !== 'dynamodb') {
    log(`S3 (listed bucket): ${OBJECTS} objects of 64 KiB x 2 buckets, ${ROUNDS} rounds (load ${load()})`);
    rows.push(await s3Section(emulator, createEnvelope({ keys: kmsKeys() }), kms, 'bucket'));
    log(`S3 (CSV manifest): ${OBJECTS} objects of 64 KiB x 2 buckets, ${ROUNDS} rounds (load ${load()})`);
    rows.push(await s3Section(emulator, createEnvelope({ keys: kmsKeys() }), kms, 'manifest'));
    log(`S3 (one by one): ${OBJECTS} objects of 64 KiB x 2 buckets, ${ROUNDS} rounds (load ${load()})`);
    rows.push(await s3Section(emulator, createEnvelope({ keys: kmsKeys() }), kms, 'object'));
    for (const instructionFile of [false, true]) {
      log(`S3 rewrap (${instructionFile ? 'instruction file' : 'metadata'}): ${OBJECTS} objects of 64 KiB x 2 buckets, ${ROUNDS} rounds (load ${load()})`);
      rows.push(await s3RewrapSection(emulator, kmsClient, keyId, (await kmsClient.send(new CreateKeyCommand({ Description: 'migrate bench, new key' }))).KeyMetadata!.Arn!, kms, instructionFile));
    }
  }
  const table = markdownTable(
    ['Records', 'phiseal migration (records/s)', 'plain SDK copy (records/s)', 'phiseal / plain', `target ≥ ${TARGET}`, 'AWS requests per record (phiseal / plain)', 'Node CPU ms per record (phiseal / plain)', 'emulator CPU ms per record (phiseal / plain)', 'KMS calls (this run)', 'KMS calls per 100,000 records', 'load average (1/5/15 min) before → after'],
    rows.map((row) => {
      const ratio = rate(row.phiseal) / rate(row.plain);
      return [
        `${row.what}: ${formatCount(row.phiseal.records)}`, formatNumber(rate(row.phiseal)), formatNumber(rate(row.plain)), formatRatio(ratio),
        verdict(ratio >= TARGET), `${perRecord(row.requests.phiseal, row.phiseal)} / ${perRecord(row.requests.plain, row.plain)}`, `${cpuPerRecord(row.phiseal)} / ${cpuPerRecord(row.plain)}`, `${emulatorPerRecord(row.phiseal)} / ${emulatorPerRecord(row.plain)}`, formatCount(row.kms), formatCount(kmsPer100k(row)), row.loads.join(' → '),
      ];
    }),
    ['left', 'right', 'right', 'right', 'left', 'right', 'right', 'right', 'right', 'right', 'left'],
  );
  const markdown = `# Migration throughput (benchmarks/migrate.ts)

${environmentMarkdown()}
- Emulator: moto on 127.0.0.1 (the bottleneck of both sides); KMS: moto, symmetric keys, \`KmsKeyProvider\` with the default data-key cache. The DynamoDB rows' KMS is a second moto process (as in AWS, where KMS requests do not load DynamoDB; it used ${kmsEmulatorMs} ms of CPU per record in the KMS-key row), except the row marked *information*, whose KMS shares the DynamoDB emulator's process
- One process, ${CONCURRENCY} records in flight per side; the two sides take turns over ${ROUNDS} rounds (Scan segments / key slices), each record once

${table}

- *phiseal migration*: DynamoDB \`migrateScanSegment\` (Scan, then per item: encrypt to the Database Encryption SDK format and a \`PutItem\` conditioned on every non-key value read, returning the replaced item, \`ALL_OLD\`, to catch an attribute added since the read); DynamoDB rewrap: \`rewrapScanSegment\` over items encrypted under the old key (a new header and footer per item, the attribute ciphertexts kept; the same conditional \`PutItem\`), next to a plain copy of the same encrypted items; the branch-key rotation re-keys items from the branch key's older version to its active one with one \`HierarchicalKeyProvider\` (\`from\` = \`to\`); S3 listed bucket: \`migrateBucket\` over a prefix (list, then per object one \`GetObject\` whose headers classify it, encrypt to S3 Encryption Client V3, one \`PutObject\` conditional on the ETag read, keeping metadata and tags; the listing proves no instruction file exists); S3 CSV manifest: \`migrateBucket\` over a CSV manifest of the same keys (the manifest proves nothing about instruction files; one live \`ListObjectsV2\` of the batch's key range does, so again 2 requests per object); S3 one by one: \`migrateObject\` per key, as for a single object or a Batch Operations task (one object per invocation: nothing lists its neighbours, so the same plus a \`HeadObject\` of \`<key>.instruction\`, a 404; an S3 Inventory would not be a sound proof: it is eventually consistent and a day old, and the Java SDK v1 client writes the object before its instruction file — packages/migrate README, "How an object is migrated"). S3 rewrap: \`rewrapBucket\` from one KMS key to another over a listed prefix of objects written by \`encryptedS3\` with the default data-key cache: only the wrapped data key changes, by a \`HeadObject\` and a conditional \`CopyObject\` of the object onto itself (metadata mode; the body is not read), or a \`HeadObject\`, a \`GetObject\` of \`<key>.instruction\` and a conditional \`PutObject\` of it (instruction-file mode; records are the objects, and the listed instruction files cost a \`HeadObject\` each to be recognised), next to the same plain copy (list, \`GetObject\`, \`PutObject\` of 64 KiB objects); KMS calls: one \`Decrypt\` under the old key and one \`Encrypt\` under the new one per distinct wrapped data key and run (here one per round).
- *plain SDK copy*: the same records read and written back unchanged with the AWS SDK (Scan + \`PutItem\`; \`ListObjectsV2\` of the same prefix, or the same keys, + \`GetObject\` + \`PutObject\`), same clients' settings, same concurrency, no encryption, no condition.
- KMS calls per 100,000 records: the run's count scaled to 100,000 records where every record needed its own call; otherwise one cache lifetime's calls (data-key cache: 5 minutes; branch key: 10 minutes TTL) for each lifetime 100,000 records take at the measured rate, in one process. S3 objects of one bucket share one encryption context, so the data-key cache serves them all from one \`GenerateDataKey\`; a DynamoDB item's encryption context holds its partition key (Database Encryption SDK), so with a KMS key provider each item needs its own data key (a KMS call per item, which on the emulator is also a round trip per item); with a branch key (\`HierarchicalKeyProvider\`) the data keys are derived locally.
- Node CPU ms per record: this process's CPU time (user + system) while that side ran, per record: the client side's own cost (SDK, encryption, checks), the emulator's excluded.
- Emulator CPU ms per record: the CPU time the (DynamoDB and S3) moto process used while that side ran, per record (Linux \`/proc\`): the server side of the same requests. moto is one Python process, so this is what bounds both sides; for DynamoDB it shows what the conditional write costs the emulator (parsing and evaluating the condition, serializing the returned item) next to an unconditional one. On AWS a conditional write consumes the same write capacity as an unconditional one of the same size (ALL_OLD is free), so that part of the gap is the emulator's.
- AWS requests per record: the commands each side's S3/DynamoDB client sent, per record. On the emulator the ratio follows them (the listing and the bucket's versioning check are shared by a page of objects).
`;
  process.stdout.write(markdown);
  log(`wrote ${writeResult('migrate', markdown)}`);
} finally {
  await emulator?.stop();
}
