// A migration worker process (`--workers N`): forked by the CLI, it runs the same per-record
// units as the in-process runner (@phiseal/migrate's migrateScanSegment, migrateObjects, and for
// `phiseal rewrap` rewrapScanSegment and rewrapObjects) on the tasks the parent sends, and reports each page or batch back over IPC. The
// parent alone keeps the checkpoint, and the run's KMS budget: this process has its own
// envelope, so it tells the parent its KMS-call count as each call starts and with every reply;
// told to stop, it starts no further record (the records in flight finish).
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createRateLimiter, migrateObjects, migrateScanSegment, rewrapObjects, rewrapScanSegment, type MigrationReport, type SegmentPage } from '@phiseal/migrate';
import { awsClients } from './aws-clients.js';
import type { KeyProvider } from '@phiseal/core';
import { announced, bucketConfigOf, envelopeOf, keyProviderOf, kmsCallsOf, tableConfigOf, type MigrateSpec } from './migrate-spec.js';

type Task =
  | { type: 'segment'; id: number; segment: number; totalSegments: number; startKey?: Record<string, unknown> }
  | { type: 'batch'; id: number; keys: string[]; ids: string[]; listed?: (string | undefined)[] }
  | { type: 'stop' };

const send = (message: unknown): Promise<void> =>
  new Promise((resolve, reject) => process.send?.(message, undefined, {}, (error) => (error ? reject(error) : resolve())));

function main(spec: MigrateSpec): void {
  let reported = 0;
  // `phiseal rewrap`: its key providers' calls (counted as they start), on top of the envelope's.
  let rewrapCalls = 0;
  const total = (): number => kmsCallsOf(envelope) + rewrapCalls;
  // Called as a key-provider call starts, after the envelope counted it; the parent sums all workers' counts.
  const announce = (): void => {
    const kmsCalls = total();
    if (kmsCalls === reported) return;
    reported = kmsCalls;
    void send({ type: 'kms', kmsCalls }).catch(() => undefined);
  };
  const envelope = envelopeOf(spec, announce);
  const stop = new AbortController();
  const limiter = createRateLimiter(spec.rate);
  const dynamo = new DynamoDBClient({});
  const s3 = awsClients().s3;
  const table = spec.kind === 'dynamodb' ? tableConfigOf(spec, envelope) : undefined;
  const bucket = spec.kind === 's3' ? { name: spec.bucket ?? '', config: bucketConfigOf(spec, envelope) } : undefined;
  // `phiseal rewrap`: the same segments, re-keyed from the old key to the new one instead of encrypted.
  const counted = (keys: KeyProvider): KeyProvider => announced(keys, () => {
    rewrapCalls++;
    announce();
  });
  const rewrap = spec.rewrap === undefined ? undefined : { from: counted(keyProviderOf(spec.rewrap.from)), to: counted(keyProviderOf(spec.rewrap.to)) };
  process.on('message', (message: Task) => {
    if (message.type === 'stop') return stop.abort();
    void (async () => {
      try {
        if (message.type === 'segment' && table && rewrap) {
          await rewrapScanSegment({
            client: dynamo, table, ...rewrap, segment: message.segment, totalSegments: message.totalSegments, signal: stop.signal, stop: stop.signal,
            concurrency: spec.concurrency, dryRun: spec.dryRun, ...(spec.maxConflictRetries === undefined ? {} : { maxConflictRetries: spec.maxConflictRetries }),
            limiter,
            ...(message.startKey === undefined ? {} : { startKey: message.startKey }),
            onPage: (page: SegmentPage) => send({ type: 'page', id: message.id, page, kmsCalls: total() }),
          });
          await send({ type: 'done', id: message.id, kmsCalls: total() });
        } else if (message.type === 'segment' && table) {
          await migrateScanSegment({
            client: dynamo, table, segment: message.segment, totalSegments: message.totalSegments, signal: stop.signal, stop: stop.signal,
            concurrency: spec.concurrency, dryRun: spec.dryRun, ...(spec.maxConflictRetries === undefined ? {} : { maxConflictRetries: spec.maxConflictRetries }),
            limiter,
            ...(message.startKey === undefined ? {} : { startKey: message.startKey }),
            onPage: (page: SegmentPage) => send({ type: 'page', id: message.id, page, kmsCalls: kmsCallsOf(envelope) }),
          });
          await send({ type: 'done', id: message.id, kmsCalls: kmsCallsOf(envelope) });
        } else if (message.type === 'batch' && bucket && rewrap) {
          const report: MigrationReport = await rewrapObjects({
            client: s3, bucket: bucket.name, ...rewrap, keys: message.keys, ids: message.ids, concurrency: spec.concurrency, dryRun: spec.dryRun,
            ...(spec.maxConflictRetries === undefined ? {} : { maxConflictRetries: spec.maxConflictRetries }),
            deleteReplacedVersions: spec.deleteReplacedVersions === true, limiter, stop: stop.signal,
          });
          // The run's count is the parent's sum of every worker's `kmsCalls` (rewrapBucket sets report.kmsCalls from it).
          await send({ type: 'done', id: message.id, report, kmsCalls: total() });
        } else if (message.type === 'batch' && bucket) {
          const report: MigrationReport = await migrateObjects({
            client: s3, bucket: bucket.name, config: bucket.config, keys: message.keys, ids: message.ids, concurrency: spec.concurrency, dryRun: spec.dryRun,
            limiter, stop: stop.signal, ...(message.listed === undefined ? {} : { listedWithoutInstructionFile: message.listed }),
          });
          await send({ type: 'done', id: message.id, report, kmsCalls: kmsCallsOf(envelope) });
        }
      } catch (error) {
        const name = error instanceof Error ? error.name : 'Error';
        const code = typeof (error as { code?: unknown })?.code === 'string' ? (error as { code: string }).code : name;
        await send({ type: 'error', id: message.id, code, kmsCalls: total() });
      }
    })();
  });
  void send({ type: 'ready' });
}

process.once('message', (spec: MigrateSpec) => main(spec));
// The parent's Ctrl-C reaches the whole process group: the parent decides when to stop.
process.on('SIGINT', () => undefined);
// The parent closes the channel when the run is over (or died): nothing is left to do.
process.on('disconnect', () => process.exit(0));
