import {
  DecryptCommand,
  DescribeKeyCommand,
  EncryptCommand,
  GenerateDataKeyCommand,
  KMSClient,
  type EncryptCommandOutput,
  type GenerateDataKeyCommandOutput,
} from '@aws-sdk/client-kms';
import { PhisealError } from '@phiseal/guard';
import { decryptionFailed, invalidConfiguration } from './internal/failures.js';
import { kmsFailure } from './internal/kms-errors.js';
import type { EncryptionContext, GeneratedDataKey, KeyProvider, UnwrappedDataKey, WrappedKey } from './key-provider.js';
import { secureClient } from './secure-transport.js';

/**
 * Options of {@link KmsKeyProvider}.
 *
 * @example
 * ```ts
 * import { KMSClient } from '@aws-sdk/client-kms';
 * import { KmsKeyProvider, type KmsKeyProviderOptions } from '@phiseal/core';
 * const options: KmsKeyProviderOptions = {
 *   keyId: process.env.KMS_KEY_ARN, // undefined is refused with INVALID_CONFIGURATION
 *   client: new KMSClient({ region: 'us-east-1' }),
 *   decryptKeyIds: ['arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab'],
 *   timeoutMs: 5_000,
 * };
 * const keys = new KmsKeyProvider(options);
 * ```
 */
export type KmsKeyProviderOptions = {
  /**
   * Key used for new data keys: key id, key ARN, alias name or alias ARN. `undefined` is
   * accepted so that `keyId: process.env.KMS_KEY_ARN` type-checks; it is refused at
   * construction with `INVALID_CONFIGURATION` (`details.option: 'keyId'`).
   */
  keyId: string | undefined;
  /** Your KMS client (region, credentials, retries). Default `new KMSClient({})`. */
  client?: KMSClient;
  /** Keys allowed to unwrap data keys; default `[keyId]`. Any other wrapping is refused before KMS is called. */
  decryptKeyIds?: string[];
  /** Upper bound on one KMS call including the SDK's retries. Default 10 s. */
  timeoutMs?: number;
};

const PROVIDER = 'aws-kms';
// KMS's answer that this ciphertext or context is wrong, as opposed to KMS being unusable.
const WRONG_CIPHERTEXT = new Set(['InvalidCiphertextException', 'IncorrectKeyException']);

const isAlias = (id: string): boolean => id.startsWith('alias/') || /^arn:[^:]+:kms:[^:]*:\d*:alias\//.test(id);

// Failures keep their cause and say whether a retry can help (internal/kms-errors.ts).
const unavailable = kmsFailure;

// Unwrapped keys of legacy ESDK suites are 16 or 24 bytes; new data keys are always 32.
function copyKey(bytes: Uint8Array | undefined, lengths: readonly number[] = [32]): Buffer {
  if (!bytes || !lengths.includes(bytes.length)) throw new PhisealError('KMS_UNAVAILABLE', 'KMS returned no data key of a usable length.');
  const key = Buffer.alloc(bytes.length);
  key.set(bytes);
  bytes.fill(0);
  return key;
}

/**
 * Data keys from AWS KMS: GenerateDataKey (AES_256) with the message's encryption context,
 * and Decrypt with `KeyId` pinned to the keys this provider may use.
 *
 * @example
 * ```ts
 * const keys = new KmsKeyProvider({ keyId: 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-...' });
 * const envelope = createEnvelope({ keys });
 * ```
 */
export class KmsKeyProvider implements KeyProvider {
  readonly id: string;
  readonly keyId: string;
  readonly #client: KMSClient;
  readonly #allowed: readonly string[];
  readonly #timeoutMs: number;
  readonly #ready: Promise<void>;
  #resolved: Promise<string[]> | undefined;

  /**
   * @throws {@link PhisealError} `INVALID_CONFIGURATION` for an empty key id;
   * `INSECURE_ENDPOINT` when `AWS_ENDPOINT_URL(_KMS)` is plain http and not loopback. A client
   * configured with such an endpoint is refused by the first call, before any request is sent.
   * @example
   * ```ts
   * new KmsKeyProvider({ keyId: 'alias/phi', client: new KMSClient({ region: 'us-east-1' }) });
   * ```
   */
  constructor(options: KmsKeyProviderOptions) {
    if (typeof options?.keyId !== 'string' || options.keyId.length === 0) {
      throw new PhisealError('INVALID_CONFIGURATION', 'KmsKeyProvider needs a keyId (undefined or empty: is its environment variable set?)', { details: { option: 'keyId' } });
    }
    this.keyId = options.keyId;
    this.id = `${PROVIDER}:${options.keyId}`;
    this.#client = options.client ?? new KMSClient({});
    this.#ready = secureClient(this.#client, 'kms');
    const allowed = options.decryptKeyIds ?? [options.keyId];
    if (allowed.length === 0 || allowed.some((id) => typeof id !== 'string' || id.length === 0)) {
      throw invalidConfiguration('decryptKeyIds must list at least one key id');
    }
    this.#allowed = [...allowed];
    this.#timeoutMs = options.timeoutMs ?? 10_000;
  }

  // Bounds every call, SDK retries included: KMS being slow must never hang an encrypt.
  #bounded(): { abortSignal: AbortSignal } {
    return { abortSignal: AbortSignal.timeout(this.#timeoutMs) };
  }

  /** Allowed ids with aliases resolved to key ARNs (once; aliases can be re-pointed, ARNs cannot). */
  #allowedIds(): Promise<string[]> {
    this.#resolved ??= Promise.all(
      this.#allowed.map(async (id) => {
        if (!isAlias(id)) return id;
        const out = await this.#client.send(new DescribeKeyCommand({ KeyId: id }), this.#bounded());
        if (!out.KeyMetadata?.Arn) throw new PhisealError('KMS_UNAVAILABLE', 'KMS DescribeKey returned no key ARN.');
        return out.KeyMetadata.Arn;
      }),
    ).catch((error: unknown) => {
      this.#resolved = undefined;
      throw unavailable(error, 'DescribeKey');
    });
    return this.#resolved;
  }

  /**
   * @throws {@link PhisealError} `KMS_KEY_UNUSABLE` (not found, disabled, denied: retryable false),
   * `KMS_UNAVAILABLE` (throttling, 5xx, network: retryable true); both keep the SDK error in `cause`.
   */
  async generate(context: EncryptionContext): Promise<GeneratedDataKey> {
    await this.#ready;
    let out: GenerateDataKeyCommandOutput;
    try {
      out = await this.#client.send(
        new GenerateDataKeyCommand({ KeyId: this.keyId, KeySpec: 'AES_256', EncryptionContext: { ...context } }),
        this.#bounded(),
      );
    } catch (error) {
      throw unavailable(error, 'GenerateDataKey');
    }
    if (!out.CiphertextBlob || !out.KeyId) {
      out.Plaintext?.fill(0);
      throw new PhisealError('KMS_UNAVAILABLE', 'KMS returned no wrapped key.');
    }
    const key = copyKey(out.Plaintext);
    return { key, wrapped: [{ provider: PROVIDER, keyId: out.KeyId, ciphertext: out.CiphertextBlob }] };
  }

  /**
   * @throws {@link PhisealError} `KMS_KEY_UNUSABLE`, `KMS_UNAVAILABLE` (as {@link KmsKeyProvider.generate}).
   */
  async wrap(key: Uint8Array, context: EncryptionContext): Promise<readonly WrappedKey[]> {
    await this.#ready;
    let out: EncryptCommandOutput;
    try {
      out = await this.#client.send(
        new EncryptCommand({ KeyId: this.keyId, Plaintext: key, EncryptionContext: { ...context } }),
        this.#bounded(),
      );
    } catch (error) {
      throw unavailable(error, 'Encrypt');
    }
    if (!out.CiphertextBlob || !out.KeyId) throw new PhisealError('KMS_UNAVAILABLE', 'KMS returned no wrapped key.');
    return [{ provider: PROVIDER, keyId: out.KeyId, ciphertext: out.CiphertextBlob }];
  }

  /**
   * @throws {@link PhisealError} `KEY_NOT_ALLOWED`, `DECRYPTION_FAILED`, `KMS_KEY_UNUSABLE`, `KMS_UNAVAILABLE`.
   */
  async unwrap(wrapped: readonly WrappedKey[], context: EncryptionContext): Promise<UnwrappedDataKey> {
    await this.#ready;
    const allowed = await this.#allowedIds();
    // Each attempt pins KeyId, so KMS itself refuses a blob made under any other key.
    const attempts: { keyId: string; ciphertext: Uint8Array }[] = [];
    for (const entry of wrapped) {
      if (entry.provider !== PROVIDER) continue;
      if (entry.keyId === '') {
        // Formats that do not store the key id (S3 Encryption Client metadata): try each allowed key.
        for (const keyId of allowed) attempts.push({ keyId, ciphertext: entry.ciphertext });
      } else if (allowed.some((id) => id === entry.keyId || entry.keyId.endsWith(`:key/${id}`))) {
        attempts.push({ keyId: entry.keyId, ciphertext: entry.ciphertext });
      }
    }
    if (attempts.length === 0) {
      throw new PhisealError('KEY_NOT_ALLOWED', 'The data key is not wrapped under a KMS key this provider may use.');
    }
    let failure: PhisealError = decryptionFailed();
    for (const attempt of attempts) {
      try {
        const out = await this.#client.send(
          new DecryptCommand({
            CiphertextBlob: attempt.ciphertext,
            KeyId: attempt.keyId,
            EncryptionContext: { ...context },
          }),
          this.#bounded(),
        );
        return { key: copyKey(out.Plaintext, [16, 24, 32]), keyId: out.KeyId ?? attempt.keyId };
      } catch (error) {
        const next = error instanceof Error && WRONG_CIPHERTEXT.has(error.name) ? decryptionFailed() : unavailable(error, 'Decrypt');
        // A transient failure on any attempt wins: the caller should retry, and the envelope
        // must not remember the message as undecryptable (its negative cache).
        if (!failure.retryable) failure = next;
      }
    }
    throw failure;
  }
}
