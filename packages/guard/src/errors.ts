/**
 * Every failure phiseal reports, across all packages. Stable: callers branch on these,
 * so a code is never renamed or reused for another meaning.
 *
 * - `DECRYPTION_FAILED`, `MALFORMED_CIPHERTEXT`: any ciphertext that does not decrypt
 *   (tampered, truncated, other key, other context). Both carry the same message, so a
 *   caller (or an attacker) learns nothing about why.
 * - `CONTEXT_MISMATCH`: the caller asked for an encryption-context pair the message lacks.
 * - `KEY_NOT_ALLOWED`: the data key is wrapped under a key this provider may not use.
 * - `KMS_UNAVAILABLE`: KMS could not be reached, throttled or failed (5xx, network): retry.
 * - `KMS_KEY_UNUSABLE`: KMS refused the key (not found, disabled, access denied, wrong key
 *   usage): retrying will not help.
 * - `INSECURE_ENDPOINT`: a plain `http://` endpoint that is not loopback.
 * - `PHI_DETECTED`: a value bound for a surface AWS stores in the clear looks like PHI.
 * - `UNSUPPORTED_OPERATION`: the request cannot be done safely; the message says what to do.
 * - `LIMIT_EXCEEDED`: a size, count or per-key usage limit would be crossed.
 * - `INVALID_ARGUMENT`, `INVALID_CONFIGURATION`: bad input to a function or a constructor.
 * - `KEY_FILE_INVALID`: a local key file is missing, unreadable, mis-sized or too open.
 * - `COMMITMENT_POLICY_VIOLATION`: a non-committing format where the policy requires commitment.
 * - `PAYLOAD_MISSING`: an offloaded payload referenced by a message is gone.
 * - `AWS_REQUEST_FAILED`: an AWS call failed with no service answer (reset, timeout, cut
 *   body), or a compound call left something behind; `cause` holds the original error.
 * - `PLAINTEXT_REFUSED`: a stored record is plaintext where the policy requires encryption.
 * - `BRANCH_KEY_NOT_FOUND`: the key store holds no such branch key (or version, or beacon
 *   key): never created, or destroyed (crypto-shredded).
 * - `KEYSTORE_RECORD_INVALID`: a key-store record does not have the spec's format.
 *
 * @example
 * ```ts
 * import { PhisealError, type PhisealErrorCode } from '@phiseal/guard';
 * const retryLater: PhisealErrorCode[] = ['KMS_UNAVAILABLE', 'AWS_REQUEST_FAILED'];
 * function shouldRetry(error: unknown): boolean {
 *   return PhisealError.is(error) && retryLater.includes(error.code);
 * }
 * ```
 */
export type PhisealErrorCode =
  | 'DECRYPTION_FAILED'
  | 'MALFORMED_CIPHERTEXT'
  | 'CONTEXT_MISMATCH'
  | 'KEY_NOT_ALLOWED'
  | 'KMS_UNAVAILABLE'
  | 'KMS_KEY_UNUSABLE'
  | 'INSECURE_ENDPOINT'
  | 'PHI_DETECTED'
  | 'UNSUPPORTED_OPERATION'
  | 'LIMIT_EXCEEDED'
  | 'INVALID_ARGUMENT'
  | 'INVALID_CONFIGURATION'
  | 'KEY_FILE_INVALID'
  | 'COMMITMENT_POLICY_VIOLATION'
  | 'PAYLOAD_MISSING'
  | 'AWS_REQUEST_FAILED'
  | 'PLAINTEXT_REFUSED'
  | 'BRANCH_KEY_NOT_FOUND'
  | 'KEYSTORE_RECORD_INVALID';

/**
 * One value-free fact: a primitive, or one level of named primitives (`incompleteUpload: { bucket, key, uploadId }`).
 *
 * @example
 * ```ts
 * import type { PhisealErrorDetail } from '@phiseal/guard';
 * const surface: PhisealErrorDetail = 's3.key';
 * const incompleteUpload: PhisealErrorDetail = { bucket: 'scans', key: 'a/1.pdf', uploadId: 'VXBsb2FkSWQ' };
 * ```
 */
export type PhisealErrorDetail = string | number | boolean | Readonly<Record<string, string | number | boolean>>;

/**
 * Safe, value-free facts attached to an error (a PHI kind, a surface name, a limit).
 *
 * @example
 * ```ts
 * import { PhisealError, type PhisealErrorDetails } from '@phiseal/guard';
 * function logDetails(error: unknown): PhisealErrorDetails | undefined {
 *   // Safe to log: details never hold plaintext, key bytes or context values.
 *   return PhisealError.is(error) ? error.details : undefined;
 * }
 * ```
 */
export type PhisealErrorDetails = Readonly<Record<string, PhisealErrorDetail>>;

/** Codes that mean "the same call may succeed later" unless the thrower says otherwise. */
const RETRYABLE_BY_DEFAULT: ReadonlySet<PhisealErrorCode> = new Set(['KMS_UNAVAILABLE', 'AWS_REQUEST_FAILED']);

const brand = Symbol.for('phiseal.error');

/**
 * The one error type phiseal throws. Branch on `code`; messages are for people and may
 * change. Never carries plaintext, key bytes or encryption-context values.
 *
 * It lives in the leaf package so that every phiseal package throws the same class
 * (`@phiseal/core` re-exports it).
 *
 * @example
 * ```ts
 * import { PhisealError } from '@phiseal/guard';
 * try {
 *   guard.check(objectKey, 's3.key');
 * } catch (error) {
 *   if (PhisealError.is(error) && error.code === 'PHI_DETECTED') console.error(error.details);
 * }
 * ```
 */
export class PhisealError extends Error {
  /** Stable machine-readable reason. */
  readonly code: PhisealErrorCode;
  /** Value-free facts about the failure. */
  readonly details: PhisealErrorDetails;
  /**
   * True when the same call may succeed if repeated (throttling, a reset connection, a 5xx);
   * false when repeating cannot help (tampering, a refused key, bad input). Defaults by code:
   * `KMS_UNAVAILABLE` and `AWS_REQUEST_FAILED` are retryable, every other code is not.
   */
  readonly retryable: boolean;

  /**
   * @throws never
   * @example
   * ```ts
   * throw new PhisealError('INVALID_ARGUMENT', 'capacity must be a positive integer');
   * ```
   */
  constructor(
    code: PhisealErrorCode,
    message: string,
    options?: { cause?: unknown; details?: PhisealErrorDetails | undefined; retryable?: boolean | undefined },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'PhisealError';
    this.code = code;
    this.details = Object.freeze({ ...(options?.details ?? {}) });
    this.retryable = options?.retryable ?? RETRYABLE_BY_DEFAULT.has(code);
    Object.defineProperty(this, brand, { value: true });
  }

  /**
   * True for any PhisealError, even one from a second copy of the package.
   * @throws never
   * @example
   * ```ts
   * if (PhisealError.is(error)) console.log(error.code);
   * ```
   */
  static is(value: unknown): value is PhisealError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[brand] === true;
  }
}
