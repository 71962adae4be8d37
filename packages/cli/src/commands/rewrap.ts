import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { rewrapBucket, rewrapTable, type MigrationReport } from '@phiseal/migrate';
import { awsClients } from '../internal/aws-clients.js';
import { usageError } from '../internal/cli-failure.js';
import type { Command } from '../internal/command.js';
import { isTerminal, type CliIo } from '../internal/io.js';
import { migrationExitCode, printReport, progressLine, statusLine, writeReportJson } from '../internal/migrate-output.js';
import { startPool, type MigratePool } from '../internal/migrate-pool.js';
import { keyProviderOf, readTableConfigFile, tableKeys, type MigrateSpec } from '../internal/migrate-spec.js';
import { parseOptions, positiveInteger } from '../internal/parse-options.js';
import { BULK_OPTIONS } from '../internal/bulk-options.js';

const help = `Usage: phiseal rewrap dynamodb --table NAME --from-... --to-... [options]
       phiseal rewrap s3 --bucket NAME [--prefix P | --manifest M] --from-... --to-... [options]

Key rotation and re-keying: moves every record whose data key is wrapped under the old key
(--from-...) to the new key (--to-...): a new KMS key, another tenant's key. Only the wrapped
data key changes, never the encrypted content (DynamoDB: the item's aws_dbe_head and
aws_dbe_foot; S3: the wrapped key in the object's metadata or instruction file). Each record is
written back only if it has not changed since it was read, so the application's writes win.
Records already under the new key are skipped (REWRAPPED), plaintext ones too (PLAINTEXT: run
\`phiseal migrate\`); records under neither key (KEY_NOT_ALLOWED) and tampered ones
(DECRYPTION_FAILED) are reported and left untouched.

Keys (one old and one new; no environment fallback, so the two cannot be mixed up):
  --from-kms-key-id ID   the old key: AWS KMS key id, ARN or alias
  --from-key-file PATH   the old key: a local key file from \`phiseal keygen\` (development only)
  --to-kms-key-id ID     the new key: AWS KMS key id, ARN or alias
  --to-key-file PATH     the new key: a local key file

Options:
  --table NAME           (dynamodb) the table; its key attributes come from DescribeTable
  --config FILE          (dynamodb) JSON of the other TableConfig settings the application uses:
                         actions, defaultAction, allowedUnsignedAttributes, allowedUnsignedAttributePrefix,
                         logicalTableName, algorithmSuite
  --segments N           (dynamodb) parallel Scan segments (default 4 x workers, at least 4)
  --workers N            worker processes (default 1: in this process); the KMS budget, the rate and
                         the checkpoint hold for the whole run
  --bucket NAME          (s3) the bucket
  --prefix P             (s3) only keys under P
  --manifest M           (s3) an S3 Inventory manifest.json or a CSV manifest (Bucket,Key), local or s3://bucket/key
  --batch-size N         (s3) keys per listing page (1 to 1000, default 1000): the checkpoint advances a page at a time
  --delete-replaced-versions  (s3) versioned bucket: delete each version the rotation replaced (it still
                         carries the old wrapping) once its replacement is stored; without it they are
                         only counted. Older versions the application wrote are never touched.
  --concurrency N        records in flight per process (default 16)
  --checkpoint FILE      resume from / save progress to FILE (sealed under the new key; mode 0600)
  --rate N               at most N records per second in all
  --max-kms-calls N      stop (resumably) after N KMS calls in all (every worker's count)
  --dry-run              count what would be re-keyed; write nothing
  --report-json FILE     write the report as JSON
  -q, --quiet            no progress line

Exit codes: 0 every record re-keyed or skipped; 1 finished, some failed (see the report);
2 usage; 4 key/KMS problem; 6 AWS request failed; 75 stopped before the end (KMS budget, a
lost worker): run again with the same --checkpoint; 130 interrupted (Ctrl-C): the records in
flight finished and the checkpoint was written.`;

const OPTIONS = {
  'from-kms-key-id': { type: 'string' },
  'from-key-file': { type: 'string' },
  'to-kms-key-id': { type: 'string' },
  'to-key-file': { type: 'string' },
  ...BULK_OPTIONS,
  'delete-replaced-versions': { type: 'boolean' },
} as const;

type Values = ReturnType<typeof parseOptions<typeof OPTIONS>>['values'];

function keySource(values: Values, side: 'from' | 'to'): MigrateSpec['key'] {
  const kmsKeyId = values[`${side}-kms-key-id`];
  const keyFile = values[`${side}-key-file`];
  if (kmsKeyId !== undefined && keyFile !== undefined) throw usageError(`give either --${side}-kms-key-id or --${side}-key-file, not both`);
  if (kmsKeyId !== undefined) return { kmsKeyId };
  if (keyFile !== undefined) return { keyFile };
  throw usageError(`no ${side === 'from' ? 'old' : 'new'} key: give --${side}-kms-key-id ID or --${side}-key-file PATH`);
}

async function specOf(kind: 'dynamodb' | 's3', values: Values, workers: number): Promise<MigrateSpec & { rewrap: NonNullable<MigrateSpec['rewrap']> }> {
  const rate = values.rate === undefined ? undefined : positiveInteger(values.rate, 'rate', 1);
  const rewrap = { from: keySource(values, 'from'), to: keySource(values, 'to') };
  const base = { kind, key: rewrap.to, rewrap, dryRun: values['dry-run'] === true, concurrency: positiveInteger(values.concurrency, 'concurrency', 16), ...(rate === undefined ? {} : { rate: rate / workers }) };
  if (kind === 'dynamodb') {
    if (values.table === undefined) throw usageError('rewrap dynamodb needs --table');
    for (const o of ['bucket', 'prefix', 'manifest', 'batch-size', 'delete-replaced-versions'] as const) if (values[o] !== undefined) throw usageError(`--${o} is for rewrap s3`);
    const settings = readTableConfigFile(values.config);
    const keys = await tableKeys(new DynamoDBClient({}), values.table);
    return { ...base, table: { ...settings, tableName: values.table, ...keys } };
  }
  if (values.bucket === undefined) throw usageError('rewrap s3 needs --bucket');
  for (const o of ['table', 'config', 'segments'] as const) if (values[o] !== undefined) throw usageError(`--${o} is for rewrap dynamodb`);
  if (values.prefix !== undefined && values.manifest !== undefined) throw usageError('give --prefix or --manifest, not both');
  return { ...base, bucket: values.bucket, deleteReplacedVersions: values['delete-replaced-versions'] === true };
}

/** `phiseal rewrap dynamodb|s3`. */
export const rewrapCommand: Command = {
  name: 'rewrap',
  summary: 'move DynamoDB items or S3 objects to a new key, replacing only the wrapped data key (dynamodb | s3)',
  help,
  async run(args, io: CliIo) {
    const { values, positionals } = parseOptions(args, OPTIONS, true);
    const kind = positionals[0];
    if ((kind !== 'dynamodb' && kind !== 's3') || positionals.length !== 1) throw usageError('rewrap takes one target: dynamodb or s3');
    const workers = positiveInteger(values.workers, 'workers', 1);
    const spec = await specOf(kind, values, workers);
    const from = keyProviderOf(spec.rewrap.from);
    const to = keyProviderOf(spec.rewrap.to);
    const stop = new AbortController();
    const onAbort = (): void => stop.abort();
    io.signal?.addEventListener('abort', onAbort);
    const status = statusLine(io.stderr, isTerminal(io.stderr) && values.quiet !== true);
    const startedAt = Date.now();
    const label = kind === 'dynamodb' ? `rewrap dynamodb:${spec.table?.tableName ?? ''}` : `rewrap s3:${spec.bucket ?? ''}`;
    const maxKmsCalls = values['max-kms-calls'] === undefined ? undefined : positiveInteger(values['max-kms-calls'], 'max-kms-calls', 1);
    const common = {
      from, to,
      ...(maxKmsCalls === undefined ? {} : { maxKmsCalls }),
      ...(values.checkpoint === undefined ? {} : { checkpoint: values.checkpoint }),
      dryRun: spec.dryRun,
      concurrency: spec.concurrency,
      signal: stop.signal,
      ...(spec.rate === undefined || workers > 1 ? {} : { maxRecordsPerSecond: spec.rate }),
      onProgress: (p: Parameters<typeof progressLine>[1]) => status.draw(progressLine(label, p, startedAt)),
    };
    let pool: MigratePool | undefined;
    let report: MigrationReport;
    try {
      // Each worker has its own key providers: the pool sums their KMS calls and holds the budget for the whole run.
      if (workers > 1) pool = startPool(workers, spec, stop.signal, maxKmsCalls === undefined ? undefined : { maxKmsCalls, ownKmsCalls: () => 0 });
      if (kind === 'dynamodb') {
        const segments = positiveInteger(values.segments, 'segments', Math.max(4, 4 * workers));
        report = await rewrapTable({
          ...common, client: new DynamoDBClient({}), table: spec.table ?? { tableName: '', partitionKey: '' }, segments,
          ...(pool === undefined ? {} : { executeSegment: pool.executeSegment, kmsCallsElsewhere: pool.kmsCalls }),
        });
      } else {
        report = await rewrapBucket({
          ...common, client: awsClients().s3, bucket: spec.bucket ?? '',
          ...(values.prefix === undefined ? {} : { prefix: values.prefix }),
          ...(values.manifest === undefined ? {} : { manifest: values.manifest }),
          batchSize: positiveInteger(values['batch-size'], 'batch-size', 1000),
          deleteReplacedVersions: values['delete-replaced-versions'] === true,
          // Two batches per worker in flight, as for migrate s3: batches commit in order, so a
          // worker whose only batch is done would otherwise wait for the oldest one.
          ...(pool === undefined ? {} : { executeBatch: pool.executeBatch, batches: 2 * workers, kmsCallsElsewhere: pool.kmsCalls }),
        });
      }
    } finally {
      status.clear();
      io.signal?.removeEventListener('abort', onAbort);
      await pool?.close();
    }
    printReport(io.stdout, report, { done: 're-keyed', would: 're-key' });
    await writeReportJson(values['report-json'], report);
    return migrationExitCode(report);
  },
};
