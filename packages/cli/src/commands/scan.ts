import type { Readable } from 'node:stream';
import { detectPhi, type Surface } from '@phiseal/guard';
import { awsClients, type AwsClients } from '../internal/aws-clients.js';
import { usageError } from '../internal/cli-failure.js';
import { didYouMean } from '../internal/did-you-mean.js';
import type { Command } from '../internal/command.js';
import { EXIT_CODES } from '../internal/exit-codes.js';
import { writeFindingsJson, writeFindingsTable } from '../internal/findings-report.js';
import { writeLine } from '../internal/io.js';
import { maskValue } from '../internal/mask.js';
import { parseOptions, positiveInteger } from '../internal/parse-options.js';
import { dynamoDbTargets } from '../internal/scan-dynamodb.js';
import { kmsTargets } from '../internal/scan-kms.js';
import { argumentTargets, lineTargets } from '../internal/scan-lines.js';
import { s3Targets } from '../internal/scan-s3.js';
import { sqsTargets } from '../internal/scan-sqs.js';
import type { ScanFinding, ScanSource } from '../internal/scan-target.js';

const help = `Usage: phiseal scan [<value>...] [--file PATH|-] [--s3-bucket NAME]... [--dynamodb-table NAME]...
                    [--sqs] [--kms] [--limit N] [--where SURFACE] [--json]

Checks names for PHI with the phiseal guard's detectors: strings given as arguments, the
lines of a file, or what AWS stores in the clear on live resources. Prints each finding
(kind, surface, resource, field, UTF-16 offsets and the value MASKED) and exits 1 when
anything is found, so CI can gate on it.

Sources (any number):
  <value>...              strings to check
  --file PATH             each non-empty line of a file; "-" reads stdin
  --s3-bucket NAME        bucket name and tags; object keys, user metadata, stored encryption
                          contexts and object tags (repeatable)
  --dynamodb-table NAME   table, index and key attribute names, tags, and key attribute values
                          from a scan reading only the keys (repeatable)
  --sqs                   queue names, tags and KMS key aliases (--sqs-prefix P to narrow)
  --kms                   KMS aliases, key descriptions and key tags

Options:
  --limit N               objects, items, queues or keys read per source (default 1000)
  --where SURFACE         surface for values and file lines, e.g. s3.key, tag, dynamodb.key
                          (default: text, i.e. free text)
  --json                  one JSON document instead of the table
  -h, --help              show this help

AWS region, credentials and endpoint come from the standard AWS environment and config
(AWS_REGION, AWS_PROFILE, AWS_ENDPOINT_URL, ...).

Exit codes: 0 nothing found, 1 findings, 2 usage, 6 a file or AWS request failed.

Examples:
  phiseal scan 'patients/jane-doe/123-45-6789.pdf' --where s3.key
  git ls-files | phiseal scan --file - --where s3.key
  phiseal scan --s3-bucket clinic-uploads --dynamodb-table patients --limit 500 --json`;

type Sources = {
  values: readonly string[];
  file: string | undefined;
  buckets: readonly string[];
  tables: readonly string[];
  sqs: boolean;
  sqsPrefix: string | undefined;
  kms: boolean;
};

// The surfaces the guard tunes its detectors for, plus `text` (free text, the default).
const SURFACES = [
  'text', 's3.bucket', 's3.key', 's3.metadata', 'tag', 'dynamodb.table', 'dynamodb.index', 'dynamodb.key',
  'dynamodb.attributeName', 'sqs.queue', 'sqs.attribute', 'kms.alias', 'encryptionContext',
] as const;

// A misspelt surface (s3.keys) would silently fall back to the free-text rules: refused instead.
function surfaceOption(value: string | undefined): Surface {
  if (value === undefined) return 'text';
  if ((SURFACES as readonly string[]).includes(value)) return value;
  // Not quoted: the value may be what was meant to be scanned.
  throw usageError(`unknown --where surface${didYouMean(value, SURFACES)}; one of ${SURFACES.join(', ')}`);
}

function sourcesOf(s: Sources, where: Surface, limit: number, stdin: Readable, skipped: (what: string) => void): ScanSource[] {
  const sources: ScanSource[] = [];
  if (s.values.length > 0) sources.push(argumentTargets(s.values, where));
  if (s.file !== undefined) sources.push(lineTargets(s.file, stdin, where));
  let clients: AwsClients | undefined;
  const aws = (): AwsClients => (clients ??= awsClients());
  for (const bucket of s.buckets) sources.push(s3Targets(aws().s3, bucket, limit));
  for (const table of s.tables) sources.push(dynamoDbTargets(aws().dynamodb, table, limit));
  if (s.sqs || s.sqsPrefix !== undefined) sources.push(sqsTargets(aws().sqs, s.sqsPrefix, limit));
  if (s.kms) sources.push(kmsTargets(aws().kms, limit, skipped));
  return sources;
}

/** `phiseal scan`: PHI findings in names, files and live AWS resources. */
export const scanCommand: Command = {
  name: 'scan',
  summary: 'find PHI in names: arguments, file lines, S3, DynamoDB, SQS, KMS (exit 1 on findings)',
  help,
  async run(args, io) {
    const { values, positionals } = parseOptions(
      args,
      {
        file: { type: 'string' },
        's3-bucket': { type: 'string', multiple: true },
        'dynamodb-table': { type: 'string', multiple: true },
        sqs: { type: 'boolean' },
        'sqs-prefix': { type: 'string' },
        kms: { type: 'boolean' },
        limit: { type: 'string' },
        where: { type: 'string' },
        json: { type: 'boolean' },
      },
      true,
    );
    const limit = positiveInteger(values.limit, 'limit', 1000);
    const where = surfaceOption(values.where);
    const sources = sourcesOf(
      {
        values: positionals,
        file: values.file,
        buckets: values['s3-bucket'] ?? [],
        tables: values['dynamodb-table'] ?? [],
        sqs: values.sqs === true,
        sqsPrefix: values['sqs-prefix'],
        kms: values.kms === true,
      },
      where,
      limit,
      io.stdin,
      (what) => writeLine(io.stderr, `phiseal: skipped ${what}`),
    );
    if (sources.length === 0) throw usageError('nothing to scan: give values, --file, --s3-bucket, --dynamodb-table, --sqs or --kms');
    const findings: ScanFinding[] = [];
    let scanned = 0;
    for (const source of sources) {
      for await (const target of source) {
        scanned += 1;
        const found = detectPhi(target.value, { where: target.where });
        if (found.length === 0) continue;
        const masked = maskValue(target.value, found);
        for (const f of found) {
          findings.push({ kind: f.kind, where: target.where, resource: target.resource, field: target.field, start: f.start, end: f.end, masked });
        }
      }
    }
    if (values.json === true) writeFindingsJson(io.stdout, findings, scanned);
    else writeFindingsTable(io.stdout, findings, scanned);
    return findings.length > 0 ? EXIT_CODES.findings : EXIT_CODES.ok;
  },
};
