import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KMSClient } from '@aws-sdk/client-kms';
import { createKeyStore, type KeyStore } from '@phiseal/keystore';
import { usageError } from '../internal/cli-failure.js';
import type { Command } from '../internal/command.js';
import { parseContext } from '../internal/context-option.js';
import { EXIT_CODES } from '../internal/exit-codes.js';
import { writeLine, type CliIo } from '../internal/io.js';
import { parseOptions } from '../internal/parse-options.js';

const help = `Usage: phiseal keystore <action> --table NAME [options]

Manages an AWS branch key store (the DynamoDB table of the AWS hierarchical keyring,
shared with the Python/Java/JavaScript Encryption SDKs) for per-tenant keys.

Actions:
  create-table   create the key-store table (branch-key-id S, type S) or check an existing one
  create-key     create a branch key; prints its id
  version-key    rotate a branch key: a new active version, old versions stay readable
  list           list branch keys, their versions and beacon keys (decrypts nothing)

Options:
  --table NAME         the key-store table (required)
  --logical-name NAME  logical key-store name bound into every key (default: the table name)
  --kms-key-arn ARN    KMS key ARN that wraps the branch keys (create-key, version-key;
                       else PHISEAL_KEYSTORE_KMS_KEY_ARN)
  --id ID              branch key id (version-key: required; create-key: optional, needs --context)
  -c, --context k=v    custom encryption context of a new key (repeatable; never PHI)
  --json               machine-readable output
  -h, --help           show this help

Region and credentials come from the AWS environment/config (AWS_REGION, AWS_PROFILE,
AWS_ENDPOINT_URL, ...). Destroying a branch key (crypto-shredding) is an API call with an
explicit confirmation (keyStore.destroy), not a CLI action.

Exit codes: 0 ok, 2 usage, 4 key/KMS problem (BRANCH_KEY_NOT_FOUND, KMS_*), 5 PHI refused
in an id or context, 6 AWS request failed.

Examples:
  phiseal keystore create-table --table branch-keys
  phiseal keystore create-key --table branch-keys --kms-key-arn arn:aws:kms:...:key/... --id tenant-0042 -c plan=enterprise
  phiseal keystore version-key --table branch-keys --kms-key-arn arn:aws:kms:...:key/... --id tenant-0042
  phiseal keystore list --table branch-keys --json`;

const OPTIONS = {
  table: { type: 'string' },
  'logical-name': { type: 'string' },
  'kms-key-arn': { type: 'string' },
  id: { type: 'string' },
  context: { type: 'string', short: 'c', multiple: true },
  json: { type: 'boolean' },
} as const;

// create-table and list make no KMS call; the store still wants a well-formed key ARN.
const UNUSED_KMS_ARN = 'arn:aws:kms:us-east-1:000000000000:key/00000000-0000-4000-8000-000000000000';
const ACTIONS = ['create-table', 'create-key', 'version-key', 'list'] as const;
type Action = (typeof ACTIONS)[number];

type Values = { table?: string | undefined; 'logical-name'?: string | undefined; 'kms-key-arn'?: string | undefined };

function openStore(action: Action, values: Values, io: CliIo): KeyStore {
  if (values.table === undefined) throw usageError('--table is required');
  const needsKms = action === 'create-key' || action === 'version-key';
  const arn = values['kms-key-arn'] ?? (io.env['PHISEAL_KEYSTORE_KMS_KEY_ARN'] || undefined);
  if (needsKms && arn === undefined) throw usageError(`${action} needs --kms-key-arn`);
  return createKeyStore({
    tableName: values.table,
    ...(values['logical-name'] === undefined ? {} : { logicalKeyStoreName: values['logical-name'] }),
    ddbClient: new DynamoDBClient({}),
    kmsClient: new KMSClient({}),
    kmsKeyArn: arn ?? UNUSED_KMS_ARN,
  });
}

function print(io: CliIo, json: boolean, value: Record<string, unknown>, text: string): void {
  writeLine(io.stdout, json ? JSON.stringify(value) : text);
}

/** `phiseal keystore`: create-table, create-key, version-key, list. */
export const keystoreCommand: Command = {
  name: 'keystore',
  summary: 'manage an AWS branch key store (per-tenant keys): create-table, create-key, version-key, list',
  help,
  async run(args, io) {
    const { values, positionals } = parseOptions(args, OPTIONS, true);
    const action = positionals[0] as Action | undefined;
    if (action === undefined || !ACTIONS.includes(action) || positionals.length !== 1) {
      throw usageError(`keystore takes one action: ${ACTIONS.join(', ')}`);
    }
    const json = values.json === true;
    const store = openStore(action, values, io);
    if (action === 'create-table') {
      const out = await store.createKeyStoreTable();
      print(io, json, { tableArn: out.tableArn, created: out.created }, `${out.created ? 'created' : 'exists'}: ${out.tableArn ?? store.tableName}`);
    } else if (action === 'create-key') {
      const context = values.context === undefined ? undefined : parseContext(values.context);
      const { branchKeyId } = await store.createKey({
        ...(values.id === undefined ? {} : { branchKeyId: values.id }),
        ...(context === undefined ? {} : { encryptionContext: context }),
      });
      print(io, json, { branchKeyId }, branchKeyId);
    } else if (action === 'version-key') {
      if (values.id === undefined) throw usageError('version-key needs --id');
      await store.versionKey(values.id);
      const { branchKeyVersion } = await store.getActiveBranchKey(values.id);
      print(io, json, { branchKeyId: values.id, activeVersion: branchKeyVersion }, `${values.id} active version ${branchKeyVersion}`);
    } else {
      const keys = await store.listBranchKeys();
      if (json) writeLine(io.stdout, JSON.stringify({ branchKeys: keys }));
      else for (const k of keys) writeLine(io.stdout, `${k.branchKeyId}\tactive ${k.activeVersion ?? '-'}\t${k.versions.length} version(s)${k.hasBeaconKey ? '\tbeacon' : ''}`);
    }
    return EXIT_CODES.ok;
  },
};
