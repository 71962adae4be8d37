import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { PhisealError } from '@phiseal/guard';
import { isWellFormed, toBuffer, utf8 } from './internal/bytes.js';
import { encodeContext } from './internal/context.js';
import { contextBytesOf } from './internal/context-text.js';
import { decryptionFailed, invalidConfiguration } from './internal/failures.js';
import { parseRawAesInfo, rawAesInfo } from './internal/esdk/raw-aes-info.js';
import { pooledRandomBytes } from './internal/random-pool.js';
import type { EncryptionContext, GeneratedDataKey, KeyProvider, UnwrappedDataKey, WrappedKey } from './key-provider.js';

/**
 * Options of {@link LocalKeyProvider}.
 *
 * @example
 * ```ts
 * import { randomBytes } from 'node:crypto';
 * import { LocalKeyProvider, type LocalKeyProviderOptions } from '@phiseal/core';
 * const options: LocalKeyProviderOptions = { keyId: 'test-key', key: randomBytes(32), namespace: 'phiseal-local' };
 * const keys = new LocalKeyProvider(options);
 * ```
 */
export type LocalKeyProviderOptions = {
  /** A name for this key, stored with every wrapped data key. */
  keyId: string;
  /** 32 random bytes. Copied; the copy is zeroized by `destroy()`. */
  key: Uint8Array;
  /**
   * The raw AES keyring key namespace (the EDK provider id). Default `phiseal-local`. An AWS
   * Encryption SDK raw AES keyring with this namespace, `keyId` as its key name and the same
   * key reads and writes the same messages.
   */
  namespace?: string;
};

/** Wrappings phiseal wrote before the ESDK format (read only). */
const LEGACY_PROVIDER = 'local';
/** The default raw AES keyring key namespace of a {@link LocalKeyProvider}. */
export const DEFAULT_LOCAL_NAMESPACE = 'phiseal-local';
const IV = 12;
const TAG = 16;
const FILE_FORMAT = 'phiseal-local-key-v1';

type KeyFile = { format: string; keyId: string; key: string };

function fileError(path: string, why: string, cause?: unknown): PhisealError {
  return new PhisealError('KEY_FILE_INVALID', `Local key file ${path}: ${why}`, cause === undefined ? undefined : { cause });
}

const destroyedError = (): PhisealError => new PhisealError('INVALID_ARGUMENT', 'this LocalKeyProvider was destroyed');

/**
 * Wraps data keys with a 32-byte key held in this process (AES-256-GCM, the provider name,
 * key id and encryption context as additional data). For development, tests and the
 * embedded default; production PHI belongs under a {@link KmsKeyProvider}, where the
 * wrapping key never leaves KMS and every use is logged.
 *
 * @example
 * ```ts
 * const keys = LocalKeyProvider.generateFile('./dev.key');   // once
 * const same = LocalKeyProvider.fromFile('./dev.key');       // later runs
 * const envelope = createEnvelope({ keys: same });
 * ```
 */
export class LocalKeyProvider implements KeyProvider {
  readonly id: string;
  readonly keyId: string;
  /** The raw AES keyring key namespace (EDK provider id). */
  readonly namespace: string;
  readonly #name: Buffer;
  readonly #key: Buffer;
  #destroyed = false;

  /**
   * @throws {@link PhisealError} `INVALID_CONFIGURATION` unless the key is 32 bytes and the key id non-empty.
   * @example
   * ```ts
   * new LocalKeyProvider({ keyId: 'dev', key: crypto.getRandomValues(new Uint8Array(32)) });
   * ```
   */
  constructor(options: LocalKeyProviderOptions) {
    if (typeof options?.keyId !== 'string' || options.keyId.length === 0 || !isWellFormed(options.keyId)) {
      throw invalidConfiguration('LocalKeyProvider needs a non-empty keyId of well-formed Unicode');
    }
    if (!(options.key instanceof Uint8Array) || options.key.length !== 32) {
      throw invalidConfiguration('LocalKeyProvider needs a 32-byte key');
    }
    const namespace = options.namespace ?? DEFAULT_LOCAL_NAMESPACE;
    // framework/raw-aes-keyring.md: the namespace "aws-kms" is reserved for KMS keyrings.
    if (typeof namespace !== 'string' || namespace.length === 0 || namespace.startsWith('aws-kms') || namespace === LEGACY_PROVIDER) {
      throw invalidConfiguration('LocalKeyProvider namespace must be a non-empty string other than "local" and not start with "aws-kms"');
    }
    this.keyId = options.keyId;
    this.namespace = namespace;
    this.#name = Buffer.from(options.keyId, 'utf8');
    this.id = namespace === DEFAULT_LOCAL_NAMESPACE ? `local:${options.keyId}` : `local:${namespace}:${options.keyId}`;
    this.#key = Buffer.alloc(32);
    this.#key.set(options.key);
  }

  /**
   * Reads a key file written by {@link LocalKeyProvider.generateFile} (or `phiseal keygen`).
   * Refuses a file that other users can read.
   * @throws {@link PhisealError} `KEY_FILE_INVALID` when missing, unreadable, malformed or group/world accessible.
   * @example
   * ```ts
   * const keys = LocalKeyProvider.fromFile(process.env.PHISEAL_KEY_FILE ?? './dev.key');
   * ```
   */
  static fromFile(path: string): LocalKeyProvider {
    let text: string;
    try {
      // Owner-only: a wrapping key readable by others protects nothing.
      if (process.platform !== 'win32' && (statSync(path).mode & 0o077) !== 0) {
        throw fileError(path, 'is readable by other users; run chmod 600 on it');
      }
      text = readFileSync(path, 'utf8');
    } catch (error) {
      if (PhisealError.is(error)) throw error;
      throw fileError(path, 'cannot be read', error);
    }
    let parsed: Partial<KeyFile>;
    try {
      parsed = JSON.parse(text) as Partial<KeyFile>;
    } catch {
      throw fileError(path, 'is not a phiseal key file');
    }
    // `null` and other non-objects parse too; reading their fields would be a TypeError.
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw fileError(path, 'is not a phiseal key file');
    }
    const key = typeof parsed.key === 'string' ? Buffer.from(parsed.key, 'base64') : Buffer.alloc(0);
    if (parsed.format !== FILE_FORMAT || typeof parsed.keyId !== 'string' || key.length !== 32) {
      key.fill(0);
      throw fileError(path, 'is not a phiseal key file');
    }
    try {
      return new LocalKeyProvider({ keyId: parsed.keyId, key });
    } finally {
      key.fill(0);
    }
  }

  /**
   * Creates a new key file (mode 0600, never overwriting) and returns its provider.
   * @throws {@link PhisealError} `KEY_FILE_INVALID` when the file exists or cannot be written.
   * @example
   * ```ts
   * const keys = LocalKeyProvider.generateFile('./dev.key', { keyId: 'dev-laptop' });
   * ```
   */
  static generateFile(path: string, options: { keyId?: string } = {}): LocalKeyProvider {
    const key = randomBytes(32);
    const keyId = options.keyId ?? `local-${createHash('sha256').update(key).digest('hex').slice(0, 12)}`;
    const file: KeyFile = { format: FILE_FORMAT, keyId, key: key.toString('base64') };
    try {
      writeFileSync(path, `${JSON.stringify(file)}\n`, { mode: 0o600, flag: 'wx' });
      return new LocalKeyProvider({ keyId, key });
    } catch (error) {
      if (PhisealError.is(error)) throw error;
      throw fileError(path, 'could not be created (does it exist already?)', error);
    } finally {
      key.fill(0);
    }
  }

  // Pre-ESDK wrappings bound a phiseal-specific prefix and phiseal's context encoding.
  #legacyAad(context: EncryptionContext): Buffer {
    return Buffer.concat([utf8(`phiseal-local-v1\u0000${this.keyId}\u0000`), encodeContext(context)]);
  }

  /** @throws {@link PhisealError} `INVALID_ARGUMENT` (as a rejected promise) after {@link LocalKeyProvider.destroy}. */
  generate(context: EncryptionContext): Promise<GeneratedDataKey> {
    if (this.#destroyed) return Promise.reject(destroyedError());
    // From the pooled CSPRNG (random-pool.ts): the pool's copy is zeroized as it is taken.
    const key = pooledRandomBytes(32);
    // Wrapped in this call, not in a `.then` of wrap's promise: one promise and microtask turn
    // less on every data-key cache miss.
    try {
      return Promise.resolve({ key, wrapped: this.#wrap(key, context) });
    } catch (error) {
      key.fill(0);
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }

  /**
   * Wraps as the raw AES keyring does (framework/raw-aes-keyring.md "OnEncrypt"): AES-256-GCM
   * under the wrapping key, a random 12-byte IV, the serialized encryption context as AAD.
   * @throws {@link PhisealError} `INVALID_ARGUMENT` (as a rejected promise) after {@link LocalKeyProvider.destroy}.
   */
  wrap(key: Uint8Array, context: EncryptionContext): Promise<readonly WrappedKey[]> {
    // The zeroized key is public knowledge: wrapping under it would expose every new data key.
    if (this.#destroyed) return Promise.reject(destroyedError());
    try {
      return Promise.resolve(this.#wrap(key, context));
    } catch (error) {
      // A context the ESDK cannot serialize (a value over 65535 bytes): rejected, not thrown.
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }

  /** {@link LocalKeyProvider.wrap}, synchronously: throws for a context the ESDK cannot serialize. */
  #wrap(key: Uint8Array, context: EncryptionContext): WrappedKey[] {
    const aad = contextBytesOf(context);
    const iv = pooledRandomBytes(IV);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv);
    cipher.setAAD(aad);
    // The wrapped key, then its tag (one buffer: this runs on every data-key cache miss).
    const sealed = cipher.update(key);
    cipher.final();
    const ciphertext = Buffer.allocUnsafe(sealed.length + TAG);
    sealed.copy(ciphertext, 0);
    cipher.getAuthTag().copy(ciphertext, sealed.length);
    const providerInfo = rawAesInfo(this.#name, iv);
    return [{ provider: this.namespace, keyId: this.keyId, providerInfo, ciphertext }];
  }

  /** The IV, sealed key, tag and AAD of a wrapping under this key, or undefined. */
  #parts(entry: WrappedKey, context: EncryptionContext): { iv: Buffer; sealed: Buffer; tag: Buffer; aad: () => Buffer } | undefined {
    // A view, not a copy: unwrap reads it synchronously, before the caller can change it.
    const body = toBuffer(entry.ciphertext);
    if (entry.provider === LEGACY_PROVIDER && entry.keyId === this.keyId && entry.providerInfo === undefined) {
      if (body.length !== IV + 32 + TAG) return undefined;
      return { iv: body.subarray(0, IV), sealed: body.subarray(IV, IV + 32), tag: body.subarray(IV + 32), aad: () => this.#legacyAad(context) };
    }
    // The recorded key id must agree with the key name inside the provider information:
    // a format that stores both (S3's phiseal layout) would otherwise let its key id be
    // changed unnoticed, and every stored bit must be authenticated or checked.
    const info = entry.provider === this.namespace && entry.keyId === this.keyId && entry.providerInfo ? parseRawAesInfo(entry.providerInfo) : undefined;
    if (!info || !info.keyName.equals(this.#name) || ![16, 24, 32].includes(body.length - TAG)) return undefined;
    return { iv: info.iv, sealed: body.subarray(0, body.length - TAG), tag: body.subarray(body.length - TAG), aad: () => contextBytesOf(context) };
  }

  /**
   * @throws {@link PhisealError} `KEY_NOT_ALLOWED` when no wrapping is under this key; `DECRYPTION_FAILED`;
   * `INVALID_ARGUMENT` after {@link LocalKeyProvider.destroy}.
   */
  unwrap(wrapped: readonly WrappedKey[], context: EncryptionContext): Promise<UnwrappedDataKey> {
    // After destroy the key is 32 zero bytes, which anyone can wrap under: unwrapping
    // would accept forged data keys as authentic (issue #11, defect 6).
    if (this.#destroyed) return Promise.reject(destroyedError());
    let mine = 0;
    for (const entry of wrapped) {
      const parts = this.#parts(entry, context);
      if (!parts) continue;
      mine++;
      try {
        const decipher = createDecipheriv('aes-256-gcm', this.#key, parts.iv, { authTagLength: TAG });
        decipher.setAAD(parts.aad());
        decipher.setAuthTag(parts.tag);
        const key = decipher.update(parts.sealed);
        try {
          decipher.final();
        } catch (error) {
          // Unauthenticated bytes: never handed out, and not left in memory.
          key.fill(0);
          throw error;
        }
        return Promise.resolve({ key, keyId: this.keyId });
      } catch {
        // try the next wrapping under this key, if any
      }
    }
    if (mine === 0) {
      return Promise.reject(new PhisealError('KEY_NOT_ALLOWED', 'The data key is not wrapped under this local key.'));
    }
    return Promise.reject(decryptionFailed());
  }

  /**
   * Zeroizes this provider's copy of the wrapping key; it cannot be used afterwards.
   * @throws never
   * @example
   * ```ts
   * keys.destroy();
   * ```
   */
  destroy(): void {
    this.#destroyed = true;
    this.#key.fill(0);
  }
}
