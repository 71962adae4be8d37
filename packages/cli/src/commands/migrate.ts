import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { migrateBucket, migrateTable, type MigrationReport } from '@phiseal/migrate';
import { awsClients } from '../internal/aws-clients.js';
import { usageError } from '../internal/cli-failure.js';
import type { Command } from '../internal/command.js';
import { parseContext } from '../internal/context-option.js';
import { isTerminal, type CliIo } from '../internal/io.js';
import { KEY_HELP, KEY_OPTIONS } from '../internal/key-options.js';
import { migrationExitCode, printReport, progressLine, statusLine, writeReportJson } from '../internal/migrate-output.js';
import { startPool, type MigratePool } from '../internal/migrate-pool.js';
import { bucketConfigOf, envelopeOf, kmsCallsOf, readTableConfigFile, tableConfigOf, tableKeys, type MigrateSpec } from '../internal/migrate-spec.js';
import { parseOptions, positiveInteger } from '../internal/parse-options.js';
import { BULK_OPTIONS } from '../internal/bulk-options.js';

const help = `Usage: phiseal migrate dynamodb --table NAME [options]
       phiseal migrate s3 --bucket NAME [--prefix P | --manifest M] [options]

Encrypts the plaintext records that already exist, in place: each is read, encrypted under
the table's or bucket's configuration and written back only if it has not changed since it
was read (DynamoDB: a condition on every value read; S3: If-Match on the ETag), so a write
by the application during the migration is never lost. Encrypted records are skipped,
tampered ones and ones the PHI guard refuses are reported and left untouched.

Options:
  --table NAME           (dynamodb) the table; its key attributes come from DescribeTable
  --config FILE          (dynamodb) JSON of the other TableConfig settings the application uses:
                         actions, defaultAction, allowedUnsignedAttributes, allowedUnsignedAttributePrefix,
                         logicalTableName, algorithmSuite
  --segments N           (dynamodb) parallel Scan segments (default 4 x workers, at least 4)
  --bucket NAME          (s3) the bucket
  --prefix P             (s3) only keys under P
  --manifest M           (s3) an S3 Inventory manifest.json or a CSV manifest (Bucket,Key), local or s3://bucket/key
  --format v3|v2         (s3) S3 Encryption Client format written (default v3)
  -c, --context k=v      (s3) encryption context of every object (repeatable; never PHI)
  --batch-size N         (s3) keys per batch (1 to 1000, default 1000): the checkpoint advances a batch at a time
  --delete-plaintext-versions  (s3) delete the noncurrent plaintext versions left in a versioned bucket
  --workers N            worker processes (default 1: in this process)
  --concurrency N        records in flight per process (default 16)
  --checkpoint FILE      resume from / save progress to FILE (sealed under the key; mode 0600)
  --rate N               at most N records per second in all
  --max-kms-calls N      stop (resumably) after N KMS calls in all (every worker's count; the records
                         in flight finish, so a run may go a little over: see the README)
  --dry-run              count what would be migrated; write nothing
  --report-json FILE     write the report as JSON
  -q, --quiet            no progress line
${KEY_HELP}

Exit codes: 0 every record migrated or skipped; 1 finished, some refused or failed (see the
report); 2 usage; 4 key/KMS problem; 6 AWS request failed; 75 stopped before the end (KMS
budget, a lost worker): run again with the same --checkpoint; 130 interrupted (Ctrl-C): the
records in flight finished and the checkpoint was written.`;

const OPTIONS = {
  ...KEY_OPTIONS,
  ...BULK_OPTIONS,
  format: { type: 'string' },
  context: { type: 'string', short: 'c', multiple: true },
  'delete-plaintext-versions': { type: 'boolean' },
} as const;

type Values = ReturnType<typeof parseOptions<typeof OPTIONS>>['values'];

function keySpec(values: Values, io: CliIo): MigrateSpec['key'] {
  const fromArgs = values['kms-key-id'] !== undefined || values['key-file'] !== undefined;
  const kmsKeyId = fromArgs ? values['kms-key-id'] : io.env['PHISEAL_KMS_KEY_ID'] || undefined;
  const keyFile = fromArgs ? values['key-file'] : io.env['PHISEAL_KEY_FILE'] || undefined;
  if (kmsKeyId !== undefined && keyFile !== undefined) throw usageError('give either --kms-key-id or --key-file, not both');
  if (kmsKeyId !== undefined) return { kmsKeyId };
  if (keyFile !== undefined) return { keyFile };
  throw usageError('no key: give --kms-key-id ID or --key-file PATH');
}

async function specOf(kind: 'dynamodb' | 's3', values: Values, io: CliIo, workers: number): Promise<MigrateSpec> {
  const rate = values.rate === undefined ? undefined : positiveInteger(values.rate, 'rate', 1);
  const base = { kind, key: keySpec(values, io), dryRun: values['dry-run'] === true, concurrency: positiveInteger(values.concurrency, 'concurrency', 16), ...(rate === undefined ? {} : { rate: rate / workers }) };
  if (kind === 'dynamodb') {
    if (values.table === undefined) throw usageError('migrate dynamodb needs --table');
    for (const o of ['bucket', 'prefix', 'manifest', 'format', 'context', 'delete-plaintext-versions', 'batch-size'] as const) if (values[o] !== undefined) throw usageError(`--${o} is for migrate s3`);
    const settings = readTableConfigFile(values.config);
    const keys = await tableKeys(new DynamoDBClient({}), values.table);
    return { ...base, table: { ...settings, tableName: values.table, ...keys } };
  }
  if (values.bucket === undefined) throw usageError('migrate s3 needs --bucket');
  for (const o of ['table', 'config', 'segments'] as const) if (values[o] !== undefined) throw usageError(`--${o} is for migrate dynamodb`);
  if (values.prefix !== undefined && values.manifest !== undefined) throw usageError('give --prefix or --manifest, not both');
  if (values.format !== undefined && values.format !== 'v3' && values.format !== 'v2') throw usageError('--format is v3 or v2');
  const context = values.context === undefined ? undefined : parseContext(values.context);
  return { ...base, bucket: values.bucket, s3: { ...(values.format === undefined ? {} : { format: values.format }), ...(context === undefined ? {} : { context }) } };
}

/** `phiseal migrate dynamodb|s3`. */
export const migrateCommand: Command = {
  name: 'migrate',
  summary: 'encrypt existing plaintext DynamoDB items or S3 objects in place, resumably (dynamodb | s3)',
  help,
  async run(args, io) {
    const { values, positionals } = parseOptions(args, OPTIONS, true);
    const kind = positionals[0];
    if ((kind !== 'dynamodb' && kind !== 's3') || positionals.length !== 1) throw usageError('migrate takes one target: dynamodb or s3');
    const workers = positiveInteger(values.workers, 'workers', 1);
    const spec = await specOf(kind, values, io, workers);
    const envelope = envelopeOf(spec);
    const stop = new AbortController();
    const onAbort = (): void => stop.abort();
    io.signal?.addEventListener('abort', onAbort);
    const status = statusLine(io.stderr, isTerminal(io.stderr) && values.quiet !== true);
    const startedAt = Date.now();
    const label = kind === 'dynamodb' ? `dynamodb:${spec.table?.tableName ?? ''}` : `s3:${spec.bucket ?? ''}`;
    const maxKmsCalls = values['max-kms-calls'] === undefined ? undefined : positiveInteger(values['max-kms-calls'], 'max-kms-calls', 1);
    let pool: MigratePool | undefined;
    let report: MigrationReport;
    try {
      if (workers > 1) {
        // Each worker has its own envelope: the pool sums their KMS calls and holds the budget for the whole run.
        const start = kmsCallsOf(envelope);
        pool = startPool(workers, spec, stop.signal, maxKmsCalls === undefined ? undefined : { maxKmsCalls, ownKmsCalls: () => kmsCallsOf(envelope) - start });
      }
      const common = {
        ...(values.checkpoint === undefined ? {} : { checkpoint: values.checkpoint }),
        dryRun: spec.dryRun,
        concurrency: spec.concurrency,
        signal: stop.signal,
        ...(maxKmsCalls === undefined ? {} : { maxKmsCalls }),
        ...(pool === undefined ? {} : { kmsCallsElsewhere: pool.kmsCalls }),
        ...(spec.rate === undefined || workers > 1 ? {} : { maxRecordsPerSecond: spec.rate }),
        onProgress: (p: Parameters<typeof progressLine>[1]) => status.draw(progressLine(label, p, startedAt)),
      };
      if (kind === 'dynamodb') {
        const segments = positiveInteger(values.segments, 'segments', Math.max(4, 4 * workers));
        report = await migrateTable({
          ...common, client: new DynamoDBClient({}), table: tableConfigOf(spec, envelope), segments,
          ...(pool === undefined ? {} : { executeSegment: pool.executeSegment }),
        });
      } else {
        report = await migrateBucket({
          ...common, client: awsClients().s3, bucket: spec.bucket ?? '', config: bucketConfigOf(spec, envelope),
          ...(values.prefix === undefined ? {} : { prefix: values.prefix }),
          ...(values.manifest === undefined ? {} : { manifest: values.manifest }),
          deletePlaintextVersions: values['delete-plaintext-versions'] === true,
          batchSize: positiveInteger(values['batch-size'], 'batch-size', 1000),
          // Two batches per worker: batches commit in order, so while the oldest is still running the
          // others' workers would sit idle with only one each; the second one queued keeps them busy.
          ...(pool === undefined ? {} : { executeBatch: pool.executeBatch, batches: 2 * workers }),
        });
      }
    } finally {
      status.clear();
      io.signal?.removeEventListener('abort', onAbort);
      await pool?.close();
    }
    printReport(io.stdout, report);
    await writeReportJson(values['report-json'], report);
    return migrationExitCode(report);
  },
};
