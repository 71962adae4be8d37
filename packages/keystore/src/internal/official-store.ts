import { BranchKeyStoreNode } from '@aws-crypto/branch-keystore-node';
import { PhisealError } from '@phiseal/core';
import { ddbFailure, kmsFailure } from './aws-errors.js';
import { ACTIVE_TYPE, VERSION_PREFIX } from './constants.js';
import { readRecord } from './read-record.js';
import type { EncryptedRecord } from './record.js';
import type { StoreContext } from './store-context.js';

// createKey and versionKey run on AWS's own @aws-crypto/branch-keystore-node: its writes
// (GenerateDataKeyWithoutPlaintext, ReEncrypt, one conditional TransactWriteItems with the
// spec's attributes) are the reference the Python and Java stores are tested against.
// Its storage is our reader (read-record.ts), for three reasons: the official
// DynamoDBKeyStorage refuses a DynamoDBClient that is not `instanceof` its own copy of the
// SDK (a second copy in node_modules breaks it), it throws untyped Errors whose messages
// quote the branch key id, and it does not check the record's kms-arn before use.

// Errors of the official store's DynamoDB calls, already mapped by ddbFailure (service
// answers stay the SDK's own objects): everything else it throws came from KMS or itself.
const fromDynamoDb = new WeakSet<object>();

function toStorageKey(record: EncryptedRecord): unknown {
  return {
    branchKeyId: record.branchKeyId,
    type: { version: record.version },
    createTime: record.context['create-time'],
    kmsArn: record.kmsArn,
    encryptionContext: record.context,
    ciphertextBlob: record.enc,
  };
}

function officialStore(ctx: StoreContext): BranchKeyStoreNode {
  // The official store only calls `send` on this client: a thin wrapper lets us know which
  // service an error came from without matching error names.
  const ddbClient = {
    send: (command: Parameters<StoreContext['ddb']['send']>[0]) =>
      ctx.ddb.send(command).catch((error: unknown) => {
        const mapped = ddbFailure(error, String((command as { constructor: { name: string } }).constructor.name).replace(/Command$/, ''), true);
        fromDynamoDb.add(mapped);
        throw mapped;
      }),
  };
  const storage = {
    ddbTableName: ctx.tableName,
    ddbClient,
    getEncryptedActiveBranchKey: async (id: string) => toStorageKey(await readRecord(ctx, id, ACTIVE_TYPE)),
    getEncryptedBranchKeyVersion: async (id: string, version: string) =>
      toStorageKey(await readRecord(ctx, id, `${VERSION_PREFIX}${version}`)),
    getKeyStorageInfo: () => ({ name: ctx.tableName, logicalName: ctx.logicalKeyStoreName }),
  };
  try {
    return new BranchKeyStoreNode({
      logicalKeyStoreName: ctx.logicalKeyStoreName,
      storage: storage as never,
      keyManagement: { kmsClient: ctx.kms },
      kmsConfiguration: { identifier: ctx.kmsKeyArn },
    });
  } catch (error) {
    throw new PhisealError(
      'INVALID_CONFIGURATION',
      'The official key store refused the configuration (is kmsClient a KMSClient of the same @aws-sdk/client-kms copy?).',
      { cause: error },
    );
  }
}

function failure(error: unknown, operation: string): Error {
  if (PhisealError.is(error) || (typeof error === 'object' && error !== null && fromDynamoDb.has(error))) return error as Error;
  const name = error instanceof Error ? error.name : 'Unknown';
  const answered = typeof (error as { $metadata?: { httpStatusCode?: unknown } })?.$metadata?.httpStatusCode === 'number';
  if (answered) return kmsFailure(error, operation);
  const system = typeof (error as { code?: unknown })?.code === 'string' || name === 'TimeoutError' || name === 'AbortError';
  if (system) {
    return new PhisealError('AWS_REQUEST_FAILED', `${operation} failed without a service answer (${name}).`, {
      cause: error,
      details: { awsError: name, operation, outcome: 'unknown' },
    });
  }
  // The official store's own precondition failures (`needs`): their messages quote inputs.
  return new PhisealError('INVALID_ARGUMENT', `The key store refused the ${operation} request.`, { details: { operation } });
}

/** CreateKey per branch-key-store.md §CreateKey, by the official store. */
export async function officialCreateKey(
  ctx: StoreContext,
  branchKeyId: string | undefined,
  encryptionContext: Record<string, string> | undefined,
): Promise<string> {
  await ctx.ready;
  const store = officialStore(ctx);
  try {
    const out = await store.createKey({
      ...(branchKeyId === undefined ? {} : { branchKeyIdentifier: branchKeyId }),
      ...(encryptionContext === undefined ? {} : { encryptionContext }),
    });
    return out.branchKeyIdentifier;
  } catch (error) {
    throw failure(error, 'CreateKey');
  }
}

/** VersionKey per branch-key-store.md §VersionKey, by the official store. */
export async function officialVersionKey(ctx: StoreContext, branchKeyId: string): Promise<void> {
  await ctx.ready;
  const store = officialStore(ctx);
  try {
    await store.versionKey({ branchKeyIdentifier: branchKeyId });
  } catch (error) {
    throw failure(error, 'VersionKey');
  }
}
