import { PhisealError, type Guard } from '@phiseal/core';
import type { BeaconKeyMaterials, BranchKeyMaterials, DestroyConfirmation } from '../key-store-types.js';
import { audited } from './audited.js';
import { ACTIVE_TYPE, BEACON_TYPE, VERSION_PREFIX } from './constants.js';
import { destroyBranchKey } from './destroy-key.js';
import { officialCreateKey, officialVersionKey } from './official-store.js';
import { decryptRecord, readRecord } from './read-record.js';
import type { StoreContext } from './store-context.js';
import { isUuid } from './uuid.js';

// The key store's operations on one branch key, each checked and audited (key-store.ts wires
// them into the KeyStore object).

const invalidArg = (why: string): PhisealError => new PhisealError('INVALID_ARGUMENT', why);

function checkId(guard: Guard, id: unknown): string {
  if (typeof id !== 'string' || id.length === 0) throw invalidArg('A branch key id must be a non-empty string.');
  // Branch key ids are DynamoDB keys and KMS encryption-context values: clear text in the
  // table, in CloudTrail and in every message header.
  guard.check(id, 'dynamodb.key');
  return id;
}

function checkCustomContext(guard: Guard, context: unknown): Record<string, string> | undefined {
  if (context === undefined) return undefined;
  if (typeof context !== 'object' || context === null || Array.isArray(context)) throw invalidArg('encryptionContext must be an object of strings');
  for (const [key, value] of Object.entries(context)) {
    if (key.length === 0 || typeof value !== 'string') throw invalidArg('encryptionContext must map non-empty keys to strings');
    guard.check(key, 'encryptionContext');
    guard.check(value, 'encryptionContext');
  }
  return { ...(context as Record<string, string>) };
}

/** Creates a branch key (a caller-chosen id, or a new UUID) with its active, version and beacon records. */
export async function createKey(ctx: StoreContext, input: { branchKeyId?: string; encryptionContext?: Record<string, string> }): Promise<{ branchKeyId: string }> {
  const id = input.branchKeyId === undefined ? undefined : checkId(ctx.guard, input.branchKeyId);
  const context = checkCustomContext(ctx.guard, input.encryptionContext);
  // branch-key-store.md §CreateKey: a caller-chosen id needs a non-empty context.
  if (id !== undefined && (context === undefined || Object.keys(context).length === 0)) {
    throw invalidArg('createKey with a branchKeyId needs a non-empty encryptionContext (branch-key-store.md §CreateKey).');
  }
  return audited(ctx, 'keystore.createKey', id === undefined ? {} : { branchKeyId: id }, async () => ({
    branchKeyId: await officialCreateKey(ctx, id, context),
  }), (r) => ({ branchKeyId: r.branchKeyId }));
}

/** Rotates a branch key; returns its id once rotated. */
export async function versionKey(ctx: StoreContext, branchKeyId: string): Promise<string> {
  const id = checkId(ctx.guard, branchKeyId);
  await audited(ctx, 'keystore.versionKey', { branchKeyId: id }, () => officialVersionKey(ctx, id));
  return id;
}

async function materials(ctx: StoreContext, id: string, type: string) {
  const record = await readRecord(ctx, id, type);
  const key = await decryptRecord(ctx, record);
  return { record, key };
}

/** The active version of a branch key, decrypted. */
export function activeBranchKey(ctx: StoreContext, branchKeyId: string): Promise<BranchKeyMaterials> {
  return audited(ctx, 'keystore.getActiveBranchKey', { branchKeyId }, async () => {
    const { record, key } = await materials(ctx, branchKeyId, ACTIVE_TYPE);
    return { branchKeyId, branchKeyVersion: record.version!, key, encryptionContext: record.custom };
  }, (m) => ({ branchKeyVersion: m.branchKeyVersion }));
}

/** One version of a branch key (a lower-case UUID), decrypted. */
export function branchKeyVersion(ctx: StoreContext, branchKeyId: string, version: string): Promise<BranchKeyMaterials> {
  return audited(ctx, 'keystore.getBranchKeyVersion', { branchKeyId, branchKeyVersion: version }, async () => {
    if (typeof version !== 'string' || !isUuid(version)) throw invalidArg('A branch key version must be a lower-case UUID.');
    const { record, key } = await materials(ctx, branchKeyId, `${VERSION_PREFIX}${version}`);
    return { branchKeyId, branchKeyVersion: version, key, encryptionContext: record.custom };
  });
}

/** A branch key's beacon key, decrypted. */
export function beaconKey(ctx: StoreContext, branchKeyId: string): Promise<BeaconKeyMaterials> {
  return audited(ctx, 'keystore.getBeaconKey', { branchKeyId }, async () => {
    const { record, key } = await materials(ctx, branchKeyId, BEACON_TYPE);
    return { beaconKeyId: branchKeyId, key, encryptionContext: record.custom };
  });
}

/** Deletes every record of a branch key, only with the id typed again as confirmation. */
export async function destroyKey(ctx: StoreContext, branchKeyId: string, confirmation: DestroyConfirmation): Promise<{ deletedItems: number }> {
  if (typeof branchKeyId !== 'string' || branchKeyId.length === 0) throw invalidArg('A branch key id must be a non-empty string.');
  // Irreversible: the caller types the id twice, so a variable mix-up cannot shred a tenant.
  if (confirmation?.confirm !== branchKeyId) {
    throw new PhisealError('INVALID_ARGUMENT', 'destroy refuses without { confirm: <the same branch key id> }.', {
      details: { reason: 'confirmation' },
    });
  }
  return audited(ctx, 'keystore.destroy', { branchKeyId }, async () => ({ deletedItems: await destroyBranchKey(ctx, branchKeyId) }), (r) => r);
}
