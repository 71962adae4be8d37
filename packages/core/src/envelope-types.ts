import type { Transform } from 'node:stream';
import type { Guard } from '@phiseal/guard';
import type { AuditEvent } from './audit.js';
import type { DataKeyCache } from './data-key-cache.js';
import type { EncryptionContext, KeyProvider, WrappedKey } from './key-provider.js';
import type { AlgorithmSuiteName, CommitmentPolicy, MessageFormat } from './internal/esdk/settings.js';

/**
 * Options of {@link createEnvelope}.
 *
 * @example
 * ```ts
 * import { createEnvelope, KmsKeyProvider, type EnvelopeOptions } from '@phiseal/core';
 * const options: EnvelopeOptions = {
 *   keys: new KmsKeyProvider({ keyId: process.env.KMS_KEY_ARN }),
 *   format: 'esdk',
 *   algorithmSuite: 'committing',
 *   maxWrappedKeys: 3,
 *   audit: (event) => console.log(event.operation, event.keyId, event.outcome),
 * };
 * const envelope = createEnvelope(options);
 * ```
 */
export type EnvelopeOptions = {
  /** Where data keys come from. */
  keys: KeyProvider;
  /**
   * What `encrypt`, `encryptToString` and `encryptStream` write: `'esdk'` (default), an AWS
   * Encryption SDK message (format version 2) that every official SDK and the
   * `aws-encryption-cli` read; or `'compact'`, phiseal's smaller format v1 (docs/format.md).
   * Decryption reads both, whatever this says.
   */
  format?: MessageFormat;
  /** ESDK suite written: `'committing'` = 0x0478 (default), `'committing-signed'` = 0x0578 (ECDSA P-384). */
  algorithmSuite?: AlgorithmSuiteName;
  /**
   * `'require-encrypt-require-decrypt'` (default) reads only key-committing messages;
   * `'require-encrypt-allow-decrypt'` also reads ESDK v1 messages with the legacy suites.
   */
  commitmentPolicy?: CommitmentPolicy;
  /** Plaintext bytes per ESDK frame, 1 to 16 MiB. Default 4096, as the SDK. */
  frameLength?: number;
  /** Data-key cache; default a new {@link DataKeyCache} with safe limits; `false` asks the provider every time. */
  cache?: DataKeyCache | false;
  /**
   * Most wrapped data keys a message may carry, checked before any key-provider (KMS)
   * call: each can cost one KMS Decrypt, and the writer of a message chooses how many
   * there are. Like the AWS Encryption SDK's `maxEncryptedDataKeys`. Default 10, at most
   * 255. Encrypting with a provider that wraps under more keys fails the same way.
   */
  maxWrappedKeys?: number;
  /** Checks encryption-context keys and values for PHI (CloudTrail logs them in the clear). Default: `createGuard()`. */
  guard?: Guard | false;
  /** Receives one event per data-key generation, unwrap, encrypt and decrypt. Must not throw; errors are ignored. */
  audit?: (event: AuditEvent) => void;
};

/**
 * Per-call options of encryption.
 *
 * @example
 * ```ts
 * import type { EncryptOptions } from '@phiseal/core';
 * const options: EncryptOptions = { context: { tenant: 'clinic-a', purpose: 'lab-result' }, format: 'compact' };
 * const sealed = await envelope.encrypt('glucose 5.4 mmol/L', options);
 * ```
 */
export type EncryptOptions = {
  /** Non-secret strings bound to the ciphertext; stored in it and sent to KMS. Never PHI. Keys starting `aws-crypto-` are reserved. */
  context?: Record<string, string>;
  /** Overrides the envelope's `format` for this call. */
  format?: MessageFormat;
};

/**
 * Options of {@link Envelope.encryptStream}.
 *
 * @example
 * ```ts
 * import { createReadStream, createWriteStream } from 'node:fs';
 * import { pipeline } from 'node:stream/promises';
 * import type { EncryptStreamOptions } from '@phiseal/core';
 * const options: EncryptStreamOptions = { context: { tenant: 'clinic-a' }, frameLength: 64 * 1024 };
 * await pipeline(createReadStream('scan.dcm'), envelope.encryptStream(options), createWriteStream('scan.dcm.enc'));
 * ```
 */
export type EncryptStreamOptions = EncryptOptions & {
  /** Plaintext bytes per frame: ESDK 1 byte to 16 MiB, default the envelope's (4096); compact 1 KiB to 16 MiB, default 64 KiB. */
  frameLength?: number;
};

/**
 * Per-call options of decryption.
 *
 * @example
 * ```ts
 * import type { DecryptOptions } from '@phiseal/core';
 * // Refuse (CONTEXT_MISMATCH) a ciphertext written for another tenant.
 * const options: DecryptOptions = { context: { tenant: 'clinic-a' } };
 * const { plaintext } = await envelope.decrypt(sealed, options);
 * ```
 */
export type DecryptOptions = {
  /** Pairs the stored context must contain; else `CONTEXT_MISMATCH`. */
  context?: Record<string, string>;
};

/**
 * What {@link Envelope.decrypt} returns.
 *
 * @example
 * ```ts
 * import type { DecryptResult } from '@phiseal/core';
 * const result: DecryptResult = await envelope.decrypt(sealed);
 * const text = new TextDecoder().decode(result.plaintext);
 * console.log(result.keyId, result.context.tenant);
 * ```
 */
export type DecryptResult = {
  plaintext: Uint8Array;
  /** The full stored (and authenticated) encryption context. */
  context: Record<string, string>;
  /** The id of the key that unwrapped the data key. */
  keyId: string;
};

/**
 * A data key for adapters whose formats store the wrapped key themselves. The caller owns `key` and should zeroize it.
 *
 * @example
 * ```ts
 * import { encodeWrappedKeys, type DataKey } from '@phiseal/core';
 * const dataKey: DataKey = await envelope.dataKey({ bucket: 'scans' }, { messages: 1, bytes: 1_048_576 });
 * try {
 *   const header = encodeWrappedKeys(dataKey.wrappedKeys); // store beside the ciphertext
 *   // ... encrypt with dataKey.key ...
 * } finally {
 *   dataKey.key.fill(0);
 * }
 * ```
 */
export type DataKey = {
  key: Uint8Array;
  /** The primary wrapping. */
  wrapped: WrappedKey;
  /** Every wrapping (more than one with a {@link MultiKeyProvider}). */
  wrappedKeys: readonly WrappedKey[];
};

/**
 * Usage charged against a cached data key's limits by {@link Envelope.dataKey}.
 *
 * @example
 * ```ts
 * import type { DataKeyUsage } from '@phiseal/core';
 * const usage: DataKeyUsage = { messages: 1, bytes: file.byteLength };
 * const dataKey = await envelope.dataKey({ bucket: 'scans' }, usage);
 * ```
 */
export type DataKeyUsage = {
  /** Messages (objects, items) the key will protect; default 1. */
  messages?: number;
  /** Plaintext bytes the key will protect, when known; default 0. */
  bytes?: number;
};

/**
 * Counters of an envelope since it was created.
 *
 * @example
 * ```ts
 * import type { EnvelopeStats } from '@phiseal/core';
 * const stats: EnvelopeStats = envelope.stats();
 * const hitRate = stats.cacheHits / Math.max(1, stats.cacheHits + stats.cacheMisses);
 * console.log(`KMS GenerateDataKey calls: ${stats.kmsGenerateDataKeyCalls}, hit rate ${hitRate}`);
 * ```
 */
export type EnvelopeStats = {
  encryptions: number;
  decryptions: number;
  cacheHits: number;
  cacheMisses: number;
  /** Data keys generated by the key provider (KMS GenerateDataKey calls for a KMS provider). */
  kmsGenerateDataKeyCalls: number;
  /** Data keys unwrapped by the key provider (KMS Decrypt calls for a KMS provider). */
  kmsDecryptCalls: number;
  /** Concurrent cache misses that waited for another caller's provider call instead of making their own. */
  coalescedMisses: number;
  /** Cached data keys evicted (capacity, age or usage limit) and zeroized. */
  evictions: number;
  /** Entries in the cache now. */
  cachedKeys: number;
};

/**
 * Envelope encryption with one key hierarchy, one data-key cache, one guard and one audit
 * stream. Made by {@link createEnvelope}; every adapter takes one.
 *
 * @example
 * ```ts
 * import { createEnvelope, LocalKeyProvider, type Envelope } from '@phiseal/core';
 * const envelope: Envelope = createEnvelope({ keys: LocalKeyProvider.fromFile('./dev.key') });
 * const sealed = await envelope.encryptToString('MRN 448812', { context: { tenant: 'clinic-a' } });
 * const { plaintext } = await envelope.decrypt(sealed, { context: { tenant: 'clinic-a' } });
 * envelope.destroy(); // zeroizes cached data keys
 * ```
 */
export type Envelope = {
  /**
   * Encrypts to the binary message format v1 (docs/format.md).
   * @throws {@link PhisealError} `PHI_DETECTED` (context), `KMS_UNAVAILABLE`, `INVALID_ARGUMENT`.
   */
  encrypt(plaintext: Uint8Array | string, options?: EncryptOptions): Promise<Uint8Array>;
  /**
   * Encrypts to the compact string form (`ps1.` + base64url), for string attributes and message bodies.
   * @throws {@link PhisealError} as {@link Envelope.encrypt}.
   */
  encryptToString(plaintext: Uint8Array | string, options?: EncryptOptions): Promise<string>;
  /**
   * Decrypts either form.
   * @throws {@link PhisealError} `DECRYPTION_FAILED` / `MALFORMED_CIPHERTEXT` (one message for all),
   * `CONTEXT_MISMATCH`, `KEY_NOT_ALLOWED`, `KMS_UNAVAILABLE`, `LIMIT_EXCEEDED` (more than `maxWrappedKeys`),
   * `INVALID_ARGUMENT` (an expected context that is not well-formed Unicode).
   */
  decrypt(ciphertext: Uint8Array | string, options?: DecryptOptions): Promise<DecryptResult>;
  /**
   * A (cached) data key for `context`, charged `usage` against the cache limits.
   * @throws {@link PhisealError} `PHI_DETECTED` (context), `KMS_UNAVAILABLE`, `LIMIT_EXCEEDED`.
   */
  dataKey(context: EncryptionContext, usage?: DataKeyUsage): Promise<DataKey>;
  /**
   * Unwraps (through the cache) a data key stored by an adapter's format.
   * @throws {@link PhisealError} `KEY_NOT_ALLOWED`, `DECRYPTION_FAILED`, `KMS_UNAVAILABLE`, `LIMIT_EXCEEDED` (more than `maxWrappedKeys`).
   */
  unwrapDataKey(wrapped: WrappedKey | readonly WrappedKey[], context: EncryptionContext): Promise<Uint8Array>;
  /**
   * A Node Transform that encrypts a byte stream of any length into the stream format
   * (docs/format.md §9) in constant memory: pipe plaintext in, ciphertext out.
   * @throws {@link PhisealError} `INVALID_ARGUMENT` for a bad frame length; the stream
   * emits `PHI_DETECTED`, `KMS_UNAVAILABLE` as errors.
   */
  encryptStream(options?: EncryptStreamOptions): Transform;
  /**
   * A Node Transform that decrypts the stream format, releasing each frame only after its
   * tag verifies. A cut or altered stream errors (`DECRYPTION_FAILED` /
   * `MALFORMED_CIPHERTEXT`) — possibly after earlier authentic frames were released, so
   * write to a temporary place and commit on `finish` when all-or-nothing matters.
   * @throws never synchronously; failures are stream errors with the codes of {@link Envelope.decrypt}.
   */
  decryptStream(options?: DecryptOptions): Transform;
  /** Counters since creation. */
  stats(): EnvelopeStats;
  /** Zeroizes every cached data key and runs the `onDestroy` listeners; the envelope must not be used afterwards. */
  destroy(): void;
  /**
   * Runs `listener` when the envelope is destroyed (at once if it already was), so keys an
   * adapter derives from it (beacon keys) share its lifetime and are zeroized with it.
   * Returns a function that removes the listener.
   * @throws never; a listener that throws is ignored.
   */
  onDestroy(listener: () => void): () => void;
  /** The envelope's guard (a no-op guard when created with `guard: false`), for adapters to check their surfaces. */
  readonly guard: Guard;
  /** Emits an audit event through the envelope's sink (adapters use it for their own operations). */
  emitAudit(event: AuditEvent): void;
};
