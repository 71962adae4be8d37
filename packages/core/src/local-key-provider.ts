import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { PhisealError } from '@phiseal/guard';
import { isWellFormed, utf8 } from './internal/bytes.js';
import { encodeContext } from './internal/context.js';
import { decryptionFailed, invalidConfiguration } from './internal/failures.js';
import type { EncryptionContext, GeneratedDataKey, KeyProvider, UnwrappedDataKey, WrappedKey } from './key-provider.js';

/** Options of {@link LocalKeyProvider}. */
export type LocalKeyProviderOptions = {
  /** A name for this key, stored with every wrapped data key. */
  keyId: string;
  /** 32 random bytes. Copied; the copy is zeroized by `destroy()`. */
  key: Uint8Array;
};

const PROVIDER = 'local';
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
    this.keyId = options.keyId;
    this.id = `${PROVIDER}:${options.keyId}`;
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

  #aad(context: EncryptionContext): Buffer {
    return Buffer.concat([utf8(`phiseal-local-v1\u0000${this.keyId}\u0000`), encodeContext(context)]);
  }

  /** @throws {@link PhisealError} `INVALID_ARGUMENT` (as a rejected promise) after {@link LocalKeyProvider.destroy}. */
  generate(context: EncryptionContext): Promise<GeneratedDataKey> {
    if (this.#destroyed) return Promise.reject(destroyedError());
    const key = randomBytes(32);
    return this.wrap(key, context).then((wrapped) => ({ key, wrapped }));
  }

  /** @throws {@link PhisealError} `INVALID_ARGUMENT` (as a rejected promise) after {@link LocalKeyProvider.destroy}. */
  wrap(key: Uint8Array, context: EncryptionContext): Promise<readonly WrappedKey[]> {
    // The zeroized key is public knowledge: wrapping under it would expose every new data key.
    if (this.#destroyed) return Promise.reject(destroyedError());
    const iv = randomBytes(IV);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv);
    cipher.setAAD(this.#aad(context));
    const body = Buffer.concat([iv, cipher.update(key), cipher.final(), cipher.getAuthTag()]);
    return Promise.resolve([{ provider: PROVIDER, keyId: this.keyId, ciphertext: body }]);
  }

  /**
   * @throws {@link PhisealError} `KEY_NOT_ALLOWED` when no wrapping is under this key; `DECRYPTION_FAILED`;
   * `INVALID_ARGUMENT` after {@link LocalKeyProvider.destroy}.
   */
  unwrap(wrapped: readonly WrappedKey[], context: EncryptionContext): Promise<UnwrappedDataKey> {
    // After destroy the key is 32 zero bytes, which anyone can wrap under: unwrapping
    // would accept forged data keys as authentic (issue #11, defect 6).
    if (this.#destroyed) return Promise.reject(destroyedError());
    const mine = wrapped.filter((w) => w.provider === PROVIDER && w.keyId === this.keyId);
    if (mine.length === 0) {
      return Promise.reject(new PhisealError('KEY_NOT_ALLOWED', 'The data key is not wrapped under this local key.'));
    }
    for (const entry of mine) {
      const body = Buffer.from(entry.ciphertext);
      if (body.length !== IV + 32 + TAG) continue;
      try {
        const decipher = createDecipheriv('aes-256-gcm', this.#key, body.subarray(0, IV));
        decipher.setAAD(this.#aad(context));
        decipher.setAuthTag(body.subarray(IV + 32));
        const key = Buffer.concat([decipher.update(body.subarray(IV, IV + 32)), decipher.final()]);
        return Promise.resolve({ key, keyId: this.keyId });
      } catch {
        // try the next wrapping under this key, if any
      }
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
