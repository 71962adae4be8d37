/**
 * An encryption context: non-secret strings bound to a ciphertext (and logged by CloudTrail, so never PHI).
 *
 * @example
 * ```ts
 * import type { EncryptionContext } from '@phiseal/core';
 * const context: EncryptionContext = { tenant: 'clinic-a', table: 'patients' };
 * const dataKey = await envelope.dataKey(context);
 * ```
 */
export type EncryptionContext = Readonly<Record<string, string>>;

/**
 * One wrapping of a data key — an AWS Encryption SDK encrypted data key (EDK): the key
 * provider id, the key provider information and the encrypted data key.
 *
 * @example
 * ```ts
 * import { decodeWrappedKeys, type WrappedKey } from '@phiseal/core';
 * const wrapped: WrappedKey[] = decodeWrappedKeys(storedHeader);
 * for (const { provider, keyId } of wrapped) console.log(provider, keyId); // 'aws-kms', 'arn:aws:kms:…'
 * const key = await envelope.unwrapDataKey(wrapped, { bucket: 'scans' });
 * ```
 */
export type WrappedKey = {
  /**
   * The ESDK key provider id: `aws-kms`, a raw AES key namespace (`phiseal-local` for a
   * {@link LocalKeyProvider} by default), `aws-kms-hierarchy`, or a custom provider's id.
   * (`local` marks wrappings written by phiseal before it spoke the ESDK format.)
   */
  readonly provider: string;
  /** The wrapping key's human-readable id: a KMS key ARN, a local key name, a branch key id. */
  readonly keyId: string;
  /**
   * The exact ESDK key provider information when it is not the UTF-8 of `keyId` — for a raw
   * AES keyring: key name | u32 tag length in bits | u32 IV length | IV.
   */
  readonly providerInfo?: Uint8Array;
  /** The wrapped data key as the provider returned it (a KMS CiphertextBlob for `aws-kms`). */
  readonly ciphertext: Uint8Array;
};

/**
 * A fresh data key and its wrappings. The caller owns `key` and should zeroize it after use.
 *
 * @example
 * ```ts
 * import { KmsKeyProvider, type GeneratedDataKey } from '@phiseal/core';
 * const keys = new KmsKeyProvider({ keyId: 'alias/phi' });
 * const generated: GeneratedDataKey = await keys.generate({ tenant: 'clinic-a' });
 * // ... encrypt with generated.key, store generated.wrapped ...
 * generated.key.fill(0);
 * ```
 */
export type GeneratedDataKey = {
  readonly key: Uint8Array;
  readonly wrapped: readonly WrappedKey[];
};

/**
 * An unwrapped data key and the key id that unwrapped it. The caller owns `key`.
 *
 * @example
 * ```ts
 * import type { UnwrappedDataKey } from '@phiseal/core';
 * const unwrapped: UnwrappedDataKey = await keys.unwrap(generated.wrapped, { tenant: 'clinic-a' });
 * console.log(unwrapped.keyId); // the KMS key ARN that unwrapped it
 * unwrapped.key.fill(0);
 * ```
 */
export type UnwrappedDataKey = {
  readonly key: Uint8Array;
  readonly keyId: string;
};

/**
 * Where data keys come from. phiseal ships {@link KmsKeyProvider}, {@link LocalKeyProvider}
 * and {@link MultiKeyProvider}; a custom provider implements these four members.
 *
 * Rules a provider keeps: the context is bound to every wrapping (KMS encryption context,
 * or AAD for local keys); `unwrap` refuses, with `KEY_NOT_ALLOWED` and before any remote
 * call, wrappings under keys it may not use.
 *
 * @example
 * ```ts
 * const keys: KeyProvider = new KmsKeyProvider({ keyId: 'arn:aws:kms:us-east-1:111122223333:key/...' });
 * const { key, wrapped } = await keys.generate({ tenant: 'clinic-a' });
 * ```
 */
export type KeyProvider = {
  /** Stable identity of this provider and its key(s); part of every cache key. */
  readonly id: string;
  /**
   * Generates a 32-byte data key wrapped under this provider's key(s).
   * @throws {@link PhisealError} `KMS_UNAVAILABLE` when the key service cannot be used.
   */
  generate(context: EncryptionContext): Promise<GeneratedDataKey>;
  /**
   * Wraps an existing data key (used by {@link MultiKeyProvider} for its secondary keys).
   * @throws {@link PhisealError} `KMS_UNAVAILABLE` when the key service cannot be used.
   */
  wrap(key: Uint8Array, context: EncryptionContext): Promise<readonly WrappedKey[]>;
  /**
   * Unwraps the first wrapping this provider may use.
   * @throws {@link PhisealError} `KEY_NOT_ALLOWED` when no wrapping is under an allowed key,
   * `DECRYPTION_FAILED` when the wrapping or context is wrong, `KMS_UNAVAILABLE` when the key service cannot be used.
   */
  unwrap(wrapped: readonly WrappedKey[], context: EncryptionContext): Promise<UnwrappedDataKey>;
  /**
   * Optional, for providers whose key has versions (a hierarchical keyring's branch key): whether
   * `wrapped` is under this provider's key at its current version, i.e. what {@link KeyProvider.wrap}
   * would write now. Re-keying (`rewrap` of @phiseal/migrate) uses it to move records from older
   * versions to the current one with `from` and `to` the same provider; `false` for a wrapping
   * under another key. Makes no KMS call when the current version is cached.
   * @throws {@link PhisealError} `BRANCH_KEY_NOT_FOUND`, `KMS_KEY_UNUSABLE`, `KMS_UNAVAILABLE` when the current version cannot be read.
   */
  isCurrent?(wrapped: WrappedKey, context: EncryptionContext): Promise<boolean>;
};
