import { createHash } from 'node:crypto';
import { PhisealError, type KeyProvider, type WrappedKey } from '@phiseal/core';
import { verifyStoredDataKey, type StoredDataKey } from '@phiseal/s3';

/** What to do with one stored wrapping: write `wrapped` instead (`rewrap`), or nothing (`current`: already under `to`). */
export type Rotation = { kind: 'rewrap'; wrapped: WrappedKey | undefined } | { kind: 'current' };

/** Moves data keys from one key provider to another (see {@link keyRotation}). */
export type KeyRotation = {
  /**
   * The new wrapping of `stored`'s data key under `to` (`wrapped` undefined in a dry run: `to`
   * is not called), or `current` when it is already under `to`.
   * @throws PhisealError `KEY_NOT_ALLOWED` (under neither key), `DECRYPTION_FAILED` (the key does
   * not match the object's V3 commitment), `KMS_*` failures of either provider.
   */
  rotate(stored: StoredDataKey, dryRun: boolean): Promise<Rotation>;
  /** Key-provider calls (KMS requests for KMS providers) made so far. */
  calls(): number;
};

// Answers that mean "this wrapping is not under this provider's key", as opposed to "the key
// cannot be used now": a local provider's KEY_NOT_ALLOWED, KMS's IncorrectKeyException
// (DECRYPTION_FAILED) and AccessDenied for a blob of another key (what moto answers; on AWS an
// IAM denial looks the same, so an object whose keys cannot be used is reported KEY_NOT_ALLOWED).
function notUnderKey(error: unknown): boolean {
  if (!PhisealError.is(error)) return false;
  if (error.code === 'KEY_NOT_ALLOWED' || error.code === 'DECRYPTION_FAILED') return true;
  const aws = error.details?.['awsError'];
  return error.code === 'KMS_KEY_UNUSABLE' && (aws === 'AccessDeniedException' || aws === 'IncorrectKeyException');
}

/** A digest of a wrapping and its context: the same stored wrapping always holds the same data key. */
function identity(stored: StoredDataKey): string {
  const h = createHash('sha256');
  const { provider, keyId, providerInfo, ciphertext } = stored.wrapped;
  for (const part of [provider, keyId, Buffer.from(providerInfo ?? []).toString('base64'), Buffer.from(ciphertext).toString('base64')]) h.update(`${part.length}:${part}`);
  h.update(JSON.stringify(Object.entries(stored.context).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))));
  return h.digest('base64');
}

const CACHE_ENTRIES = 4096;

/**
 * Unwraps with `from` and wraps the same data key with `to`, zeroizing it in between. A
 * wrapping `from` refuses is tried with `to`: if `to` opens it the object is already rotated
 * (a resumed run, or the application wrote it under the new key meanwhile). Objects written
 * through phiseal's data-key cache share wrappings, so each distinct wrapping is rotated once:
 * the answers are remembered (bounded; only wrapped keys and digests, never a data key) and
 * V3's commitment is checked the first time a wrapping is seen.
 */
export function keyRotation(from: KeyProvider, to: KeyProvider): KeyRotation {
  let calls = 0;
  const remembered = new Map<string, Rotation>();
  const remember = (id: string, rotation: Rotation): Rotation => {
    if (remembered.size >= CACHE_ENTRIES) remembered.delete(remembered.keys().next().value as string);
    remembered.set(id, rotation);
    return rotation;
  };
  const underTo = async (stored: StoredDataKey): Promise<Rotation> => {
    let current: Uint8Array;
    try {
      calls++;
      current = (await to.unwrap([stored.wrapped], stored.context)).key;
    } catch (error) {
      if (!notUnderKey(error)) throw error;
      throw new PhisealError('KEY_NOT_ALLOWED', 'The data key is wrapped under neither the key to rotate from nor the key to rotate to.', { retryable: false });
    }
    try {
      verifyStoredDataKey(stored, current);
    } finally {
      current.fill(0);
    }
    return { kind: 'current' };
  };
  // One rotation of a wrapping at a time: objects in flight that share it (a run's first
  // `concurrency` objects, all written under one cached data key) wait for its answer instead
  // of each asking KMS (measured: 32 calls for the first 16 objects of a batch, not 2).
  const inflight = new Map<string, Promise<Rotation>>();
  const rotate = async (stored: StoredDataKey, dryRun: boolean, id: string): Promise<Rotation> => {
    let key: Uint8Array;
    try {
      calls++;
      key = (await from.unwrap([stored.wrapped], stored.context)).key;
    } catch (error) {
      if (!notUnderKey(error)) throw error;
      return remember(id, await underTo(stored));
    }
    try {
      verifyStoredDataKey(stored, key);
      if (dryRun) return remember(id, { kind: 'rewrap', wrapped: undefined });
      // An S3EC object stores one wrapping: a MultiKeyProvider's primary (its first).
      calls++;
      const [wrapped] = await to.wrap(key, stored.context);
      if (wrapped === undefined) throw new PhisealError('KMS_UNAVAILABLE', 'The key provider returned no wrapped key.');
      return remember(id, { kind: 'rewrap', wrapped });
    } finally {
      key.fill(0);
    }
  };
  return {
    calls: () => calls,
    rotate(stored, dryRun) {
      const id = identity(stored);
      const known = remembered.get(id);
      if (known !== undefined && (known.kind === 'current' || known.wrapped !== undefined || dryRun)) return Promise.resolve(known);
      const flight = `${dryRun ? 'dry' : 'write'}:${id}`;
      let pending = inflight.get(flight);
      if (pending === undefined) {
        pending = rotate(stored, dryRun, id).finally(() => inflight.delete(flight));
        inflight.set(flight, pending);
      }
      return pending;
    },
  };
}
