/**
 * The options `phiseal migrate` and `phiseal rewrap` share (node:util parseArgs form): the
 * target (a table or a bucket), the worker pool, the checkpoint, the pace, the KMS budget and
 * the report. Each command adds its own keys and target settings.
 */
export const BULK_OPTIONS = {
  table: { type: 'string' },
  config: { type: 'string' },
  segments: { type: 'string' },
  bucket: { type: 'string' },
  prefix: { type: 'string' },
  manifest: { type: 'string' },
  'batch-size': { type: 'string' },
  workers: { type: 'string' },
  concurrency: { type: 'string' },
  checkpoint: { type: 'string' },
  rate: { type: 'string' },
  'max-kms-calls': { type: 'string' },
  'dry-run': { type: 'boolean' },
  'report-json': { type: 'string' },
  quiet: { type: 'boolean', short: 'q' },
} as const;
