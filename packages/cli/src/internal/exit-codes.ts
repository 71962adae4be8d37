import { PhisealError, type PhisealErrorCode } from '@phiseal/core';

/**
 * Exit codes scripts can branch on. Stable: a code never changes meaning.
 *
 * @example
 * ```ts
 * if ((await run(['decrypt', 'in.phiseal', '-o', 'out'], io)) === EXIT_CODES.integrity) alert();
 * ```
 */
export const EXIT_CODES = {
  /** Success (and `scan` found nothing). */
  ok: 0,
  /** `scan` found something that looks like PHI. */
  findings: 1,
  /** Bad command line, options or configuration. */
  usage: 2,
  /** The ciphertext did not decrypt: tampered, truncated, wrong key material or wrong context. */
  integrity: 3,
  /** The key could not be used: key file invalid, KMS unreachable or key not allowed. */
  key: 4,
  /** PHI refused where AWS stores it in the clear (for example in an encryption context). */
  phi: 5,
  /** A file or AWS request failed (missing input, existing output, AWS error). */
  io: 6,
  /** `migrate`/`rewrap` stopped before the end (KMS-call budget, a lost worker process): run it again to resume. */
  incomplete: 75,
  /** A bug in phiseal: please report it. */
  internal: 70,
  /** Interrupted (SIGINT/SIGTERM) before it finished; no partial output file is left. */
  interrupted: 130,
} as const;

/**
 * One of the values of {@link EXIT_CODES}.
 *
 * @example
 * ```ts
 * import { EXIT_CODES, run, type ExitCode } from '@phiseal/cli';
 * const code: ExitCode = await run(['decrypt', 'scan.pdf.phiseal', '-o', 'scan.pdf', '--key-file', 'dev.key'], io);
 * if (code === EXIT_CODES.key) console.error('check the key file or KMS access');
 * ```
 */
export type ExitCode = (typeof EXIT_CODES)[keyof typeof EXIT_CODES];

// Every PhisealErrorCode is listed, so a new code fails to compile here until it has a home.
const BY_PHISEAL_CODE: Record<PhisealErrorCode, ExitCode> = {
  DECRYPTION_FAILED: EXIT_CODES.integrity,
  MALFORMED_CIPHERTEXT: EXIT_CODES.integrity,
  CONTEXT_MISMATCH: EXIT_CODES.integrity,
  COMMITMENT_POLICY_VIOLATION: EXIT_CODES.integrity,
  KEY_NOT_ALLOWED: EXIT_CODES.key,
  KMS_UNAVAILABLE: EXIT_CODES.key,
  KMS_KEY_UNUSABLE: EXIT_CODES.key,
  KEY_FILE_INVALID: EXIT_CODES.key,
  PHI_DETECTED: EXIT_CODES.phi,
  INVALID_ARGUMENT: EXIT_CODES.usage,
  INVALID_CONFIGURATION: EXIT_CODES.usage,
  INSECURE_ENDPOINT: EXIT_CODES.usage,
  UNSUPPORTED_OPERATION: EXIT_CODES.usage,
  LIMIT_EXCEEDED: EXIT_CODES.usage,
  PAYLOAD_MISSING: EXIT_CODES.io,
  PLAINTEXT_REFUSED: EXIT_CODES.integrity,
  AWS_REQUEST_FAILED: EXIT_CODES.io,
  BRANCH_KEY_NOT_FOUND: EXIT_CODES.key,
  KEYSTORE_RECORD_INVALID: EXIT_CODES.key,
};

/** The exit code of a PhisealError code. */
export function exitCodeOf(code: PhisealErrorCode): ExitCode {
  return BY_PHISEAL_CODE[code];
}

/** Whether a value is a PhisealError (re-exported here so commands need one import). */
export const isPhisealError = (value: unknown): value is PhisealError => PhisealError.is(value);
