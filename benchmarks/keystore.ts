// The key-store benchmark (issue 13): what the hierarchy buys in KMS and DynamoDB load.
// 1,000 tenants, 100,000 encrypts spread over them at concurrency 100, branch-key TTL 10 min,
// on the moto emulator, side by side in one run:
//   - phiseal HierarchicalKeyProvider (one envelope, a supplier picking the tenant's branch key)
//   - one KmsKeyProvider (and envelope) per tenant, i.e. one KMS key per tenant
//   - the AWS JavaScript Encryption SDK with KmsHierarchicalKeyRingNode and its cache
// Counted with a middleware on each side's own clients; warm encrypt throughput compared
// in interleaved rounds. Run with `pnpm bench keystore`; writes benchmarks/results/keystore.md.
import { randomBytes } from 'node:crypto';
import {
  AlgorithmSuiteIdentifier,
  BranchKeyStoreNode,
  buildClient,
  CommitmentPolicy,
  KmsHierarchicalKeyRingNode,
} from '@aws-crypto/client-node';
import { DeleteTableCommand, DynamoDBClient, PutItemCommand, ScanCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import type * as Core from '@phiseal/core';
import type { Envelope } from '@phiseal/core';
import type * as Keystore from '@phiseal/keystore';
import type { KeyStore } from '@phiseal/keystore';
import { fromDist } from './support/dist.js';
import { countCommands, startBenchEmulator, type CommandCounter, type Emulator } from './support/emulator.js';
import { compare, defaultBudgetMs, runConcurrently } from './support/harness.js';
import { environmentMarkdown, verdict, writeResult } from './support/results.js';
import { formatCount, formatNumber, formatRatio, formatSeconds, markdownTable } from './support/table.js';

// phiseal as published (dist); keystore's dist imports core's dist, so both are one instance.
const { createEnvelope, DataKeyCache, KmsKeyProvider } = await fromDist<typeof Core>('core');
const { createKeyStore, HierarchicalKeyProvider } = await fromDist<typeof Keystore>('keystore');

const TENANTS = Number(process.env['BENCH_TENANTS'] ?? 1000);
const ENCRYPTS = Number(process.env['BENCH_ENCRYPTS'] ?? 100_000);
const CONCURRENCY = 100;
const TTL_SECONDS = 600;
const LOGICAL_NAME = 'bench-keystore';
const PLAINTEXT = randomBytes(1024);
const log = (line: string): void => void process.stderr.write(`[keystore] ${line}\n`);
const esdk = buildClient(CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT);
const SUITE = AlgorithmSuiteIdentifier.ALG_AES256_GCM_IV12_TAG16_HKDF_SHA512_COMMIT_KEY;

// Tenants are visited in a fixed pseudo-random order (xorshift), so every run does the same work.
function tenantOrder(total: number): Uint16Array {
  const out = new Uint16Array(total);
  let x = 2463534242;
  for (let i = 0; i < total; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = (x >>> 0) % TENANTS;
  }
  return out;
}

type Side = {
  name: string;
  /** Encrypts 1 KiB for `tenant`; `record` set gives every message its own context (no data-key reuse). */
  encrypt: (tenant: number, record?: number) => Promise<unknown>;
  ddb: CommandCounter;
  kms: CommandCounter;
};
const contextOf = (tenant: string, record: number | undefined): Record<string, string> =>
  record === undefined ? { tenant } : { tenant, record: `r-${record}` };

type Row = { name: string; seconds: number; getItem: number; kmsDecrypt: number; kmsGenerate: number; kmsOther: number };

async function timedRun(side: Side, order: Uint16Array, perRecord = false): Promise<Row> {
  side.ddb.reset();
  side.kms.reset();
  const timing = await runConcurrently(order.length, CONCURRENCY, (i) => side.encrypt(order[i]!, perRecord ? i : undefined));
  const k = side.kms.counts;
  const generate = k['GenerateDataKeyCommand'] ?? 0;
  const decrypt = k['DecryptCommand'] ?? 0;
  return {
    name: side.name,
    seconds: timing.seconds,
    getItem: side.ddb.counts['GetItemCommand'] ?? 0,
    kmsDecrypt: decrypt,
    kmsGenerate: generate,
    kmsOther: side.kms.total() - generate - decrypt,
  };
}

// moto's TransactWriteItems deep-copies the whole table (for rollback) on every call and is
// not safe under concurrency, so createKey gets slower with every key in a table. The 1,000
// keys are made in shards of 50 (one table each, sequential within a table, shards in
// parallel) under one logical key-store name, then copied into the benchmark's table: the
// records do not name their physical table (the logical name is in their KMS context), so
// the copies are the same keys.
const SHARD = 50;

async function setUp(emulator: Emulator): Promise<{ tableName: string; kmsKeyArn: string; branchKeys: string[] }> {
  const admin = { ddb: new DynamoDBClient(emulator.clientConfig), kms: new KMSClient(emulator.clientConfig) };
  const kmsKeyArn = (await admin.kms.send(new CreateKeyCommand({ Description: 'key store bench' }))).KeyMetadata!.Arn!;
  const tableName = `bench-keystore-${process.pid}`;
  const open = (name: string): KeyStore =>
    createKeyStore({ tableName: name, logicalKeyStoreName: LOGICAL_NAME, ddbClient: admin.ddb, kmsClient: admin.kms, kmsKeyArn });
  await open(tableName).createKeyStoreTable();
  const branchKeys = Array.from({ length: TENANTS }, (_, i) => `tenant-${String(i).padStart(4, '0')}`);
  const shards = Math.ceil(TENANTS / SHARD);
  await runConcurrently(shards, 4, async (shard) => {
    const shardTable = `${tableName}-shard-${shard}`;
    const store = open(shardTable);
    await store.createKeyStoreTable();
    for (const branchKeyId of branchKeys.slice(shard * SHARD, (shard + 1) * SHARD)) {
      await store.createKey({ branchKeyId, encryptionContext: { bench: 'keystore' } });
    }
    let start: Record<string, AttributeValue> | undefined;
    do {
      const page = await admin.ddb.send(new ScanCommand({ TableName: shardTable, ...(start ? { ExclusiveStartKey: start } : {}) }));
      for (const Item of page.Items ?? []) await admin.ddb.send(new PutItemCommand({ TableName: tableName, Item }));
      start = page.LastEvaluatedKey;
    } while (start);
    await admin.ddb.send(new DeleteTableCommand({ TableName: shardTable }));
  });
  log(`created ${TENANTS} branch keys in ${tableName}`);
  return { tableName, kmsKeyArn, branchKeys };
}

function phisealSide(emulator: Emulator, base: { tableName: string; logicalKeyStoreName: string; kmsKeyArn: string }, branchKeys: string[]): { side: Side; envelope: Envelope; provider: Keystore.HierarchicalKeyProvider } {
  const ddb = new DynamoDBClient(emulator.clientConfig);
  const kms = new KMSClient(emulator.clientConfig);
  const side = { ddb: countCommands(ddb), kms: countCommands(kms) };
  const keyStore = createKeyStore({ ...base, ddbClient: ddb, kmsClient: kms });
  const provider = new HierarchicalKeyProvider(
    { keyStore, branchKeyIdSupplier: (context) => context['tenant']! },
    { ttlSeconds: TTL_SECONDS, maxCachedBranchKeys: TENANTS },
  );
  const envelope = createEnvelope({ keys: provider, cache: new DataKeyCache({ capacity: 2 * TENANTS }) });
  return {
    envelope,
    provider,
    side: { name: 'phiseal HierarchicalKeyProvider', ...side, encrypt: (t, r) => envelope.encrypt(PLAINTEXT, { context: contextOf(branchKeys[t]!, r) }) },
  };
}

async function kmsPerTenantSide(emulator: Emulator): Promise<Side> {
  const kms = new KMSClient(emulator.clientConfig);
  const counter = countCommands(kms);
  const keys: string[] = [];
  await runConcurrently(TENANTS, 20, async (i) => {
    keys[i] = (await kms.send(new CreateKeyCommand({ Description: `tenant ${i}` }))).KeyMetadata!.Arn!;
  });
  // A generous timeout: on a loaded machine moto can take seconds per call under concurrency 100.
  const envelopes = keys.map((keyId) => createEnvelope({ keys: new KmsKeyProvider({ keyId, client: kms, timeoutMs: 120_000 }) }));
  log(`created ${TENANTS} KMS keys, one per tenant`);
  const ddb = countCommands(new DynamoDBClient(emulator.clientConfig));
  return { name: 'KmsKeyProvider per tenant', ddb, kms: counter, encrypt: (t, r) => envelopes[t]!.encrypt(PLAINTEXT, { context: contextOf(`tenant-${t}`, r) }) };
}

function awsKeyringSide(emulator: Emulator, base: { tableName: string; logicalKeyStoreName: string; kmsKeyArn: string }, branchKeys: string[]): Side {
  const ddb = new DynamoDBClient(emulator.clientConfig);
  const kms = new KMSClient(emulator.clientConfig);
  const side = { ddb: countCommands(ddb), kms: countCommands(kms) };
  const keyStore = new BranchKeyStoreNode({
    logicalKeyStoreName: base.logicalKeyStoreName,
    storage: { ddbTableName: base.tableName, ddbClient: ddb },
    keyManagement: { kmsClient: kms },
    kmsConfiguration: { identifier: base.kmsKeyArn },
  });
  const keyring = new KmsHierarchicalKeyRingNode({
    branchKeyIdSupplier: { getBranchKeyId: (context: Record<string, string>) => context['tenant']! },
    keyStore,
    cacheLimitTtl: TTL_SECONDS,
    maxCacheSize: TENANTS,
  });
  return {
    name: 'AWS JS SDK KmsHierarchicalKeyRingNode',
    ...side,
    encrypt: (t, r) => esdk.encrypt(keyring, PLAINTEXT, { encryptionContext: contextOf(branchKeys[t]!, r), suiteId: SUITE }),
  };
}

function countsTable(rows: Row[]): string {
  return markdownTable(
    ['Implementation', 'Time', 'DynamoDB GetItem', 'KMS Decrypt', 'KMS GenerateDataKey', 'Other KMS', 'GetItem / tenant', 'KMS calls / tenant'],
    rows.map((r) => {
      const kmsCalls = r.kmsDecrypt + r.kmsGenerate + r.kmsOther;
      return [r.name, formatSeconds(r.seconds), formatCount(r.getItem), formatCount(r.kmsDecrypt), formatCount(r.kmsGenerate), formatCount(r.kmsOther), formatNumber(r.getItem / TENANTS), formatNumber(kmsCalls / TENANTS)];
    }),
  );
}

let emulator: Emulator | undefined;
let tableName: string | undefined;
try {
  emulator = await startBenchEmulator();
  const started = Date.now();
  const store = await setUp(emulator);
  tableName = store.tableName;
  const order = tenantOrder(ENCRYPTS);
  const base = { tableName: store.tableName, logicalKeyStoreName: LOGICAL_NAME, kmsKeyArn: store.kmsKeyArn };
  const phiseal = phisealSide(emulator, base, store.branchKeys);
  const aws = awsKeyringSide(emulator, base, store.branchKeys);
  const perTenant = await kmsPerTenantSide(emulator);

  // Cold: every tenant's first use happens under concurrency 100.
  const cold: Row[] = [];
  for (const side of [phiseal.side, aws, perTenant]) {
    log(`${side.name}: ${formatCount(ENCRYPTS)} encrypts over ${TENANTS} tenants, concurrency ${CONCURRENCY}`);
    cold.push(await timedRun(side, order));
  }
  const coalesced = phiseal.provider.stats();
  const envelopeStats = phiseal.envelope.stats();
  // A fresh process whose every message has its own context: no data key is shared, so only
  // the branch-key cache stands between the 100 concurrent workers and DynamoDB/KMS.
  const fresh = phisealSide(emulator, base, store.branchKeys);
  fresh.side.name = `phiseal, a context per record (${formatCount(ENCRYPTS / 10)} encrypts)`;
  log(`${fresh.side.name}: cold`);
  cold.push(await timedRun(fresh.side, order.subarray(0, ENCRYPTS / 10), true));
  const freshStats = fresh.provider.stats();

  // Per-record contexts (every message its own data key), caches warm: what each encrypt costs.
  const perRecordOrder = order.subarray(0, Math.max(1, Math.floor(ENCRYPTS / 50)));
  const perRecord: Row[] = [];
  for (const side of [phiseal.side, aws, perTenant]) {
    log(`${side.name}: ${formatCount(perRecordOrder.length)} encrypts with a per-record context`);
    perRecord.push(await timedRun(side, perRecordOrder, true));
  }

  // Warm: every cache is filled; interleaved rounds of encrypts over all tenants.
  let cursor = 0;
  const next = (): number => order[cursor++ % order.length]!;
  const warm = await compare(
    [
      { name: phiseal.side.name, fn: () => phiseal.side.encrypt(next()) },
      { name: aws.name, fn: () => aws.encrypt(next()) },
    ],
    { budgetMs: 10 * defaultBudgetMs(), rounds: 5 },
  );
  const ours = warm.get(phiseal.side.name)!.opsPerSec;
  const theirs = warm.get(aws.name)!.opsPerSec;
  const [p, a] = [cold[0]!, cold[1]!];
  const targets = [
    ['phiseal: GetItem ≤ 1 per tenant per TTL', formatNumber(p.getItem / TENANTS), verdict(p.getItem <= TENANTS)],
    ['phiseal: KMS Decrypt ≤ 1 per tenant per TTL', formatNumber(p.kmsDecrypt / TENANTS), verdict(p.kmsDecrypt <= TENANTS)],
    ['phiseal warm encrypt ≥ 10x KmsHierarchicalKeyRingNode', formatRatio(ours / theirs), verdict(ours / theirs >= 10)],
  ];

  const markdown = `# Key-store benchmark

${TENANTS.toLocaleString('en-US')} tenants, ${ENCRYPTS.toLocaleString('en-US')} encrypts of 1 KiB spread over them in a fixed
pseudo-random order, concurrency ${CONCURRENCY}, branch-key TTL ${TTL_SECONDS / 60} min, one process, moto emulator on
loopback. phiseal writes AWS Encryption SDK messages (its default format), the same format as the
JavaScript SDK. Counts are the requests each implementation's own clients sent (a middleware on
each client). Generated by \`pnpm bench keystore\` (total run ${formatSeconds((Date.now() - started) / 1000)}).

${environmentMarkdown()}

## Cold run: AWS requests for ${ENCRYPTS.toLocaleString('en-US')} encrypts (every tenant's first use under concurrency)

${countsTable(cold)}

- phiseal: ${formatCount(coalesced.misses)} branch-key fetches. Concurrent first uses are single-flight twice over: the
  envelope's data-key cache made ${formatCount(envelopeStats.coalescedMisses)} concurrent misses wait for one data key per
  context (${formatCount(envelopeStats.kmsGenerateDataKeyCalls)} data keys generated), and the provider's branch-key cache made
  ${formatCount(coalesced.coalesced)} concurrent fetches wait for one fetch per tenant (${formatCount(coalesced.hits)} hits).
  With a context per record (last row, a fresh provider) every encrypt needs the branch key: ${formatCount(freshStats.misses)}
  fetches, ${formatCount(freshStats.coalesced)} concurrent first uses coalesced into them, ${formatCount(freshStats.hits)} hits.
- KmsHierarchicalKeyRingNode caches branch keys for the TTL too, but concurrent first uses of one tenant
  each fetch (no single-flight): ${formatNumber(a.getItem / TENANTS)} GetItem and ${formatNumber(a.kmsDecrypt / TENANTS)} KMS Decrypt per tenant here.
- One KMS key per tenant: a GenerateDataKey per tenant per data-key cache period (5 min) per process,
  and ${formatCount(TENANTS)} KMS keys to pay for and manage; KMS Decrypt per distinct data key on every reader.

## Warm caches, a context per record: AWS requests for ${perRecordOrder.length.toLocaleString('en-US')} encrypts

Each message has its own encryption context (\`{ tenant, record }\`), so no data key is reused: the case
where a KMS key per tenant costs one KMS request per message and the hierarchy costs none.

${countsTable(perRecord)}

## Warm encrypt throughput (1 KiB, caches full, interleaved rounds)

${markdownTable(
  ['Implementation', 'encrypts/s', 'vs KmsHierarchicalKeyRingNode'],
  [
    [phiseal.side.name, formatCount(ours), formatRatio(ours / theirs)],
    [aws.name, formatCount(theirs), '1x'],
  ],
)}

## Targets

${markdownTable(['Target', 'Measured', 'Result'], targets)}
`;
  process.stdout.write(markdown);
  log(`wrote ${writeResult('keystore', markdown)}`);
  if (targets.some((t) => t[2] === 'FAIL')) process.exitCode = 1;
} catch (error) {
  console.error(error);
  process.exitCode = 1;
} finally {
  if (emulator && tableName) await new DynamoDBClient(emulator.clientConfig).send(new DeleteTableCommand({ TableName: tableName })).catch(() => undefined);
  await emulator?.stop();
}
