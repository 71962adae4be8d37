// The DB-ESDK algorithm suites (aws-encryption-sdk-specification framework/algorithm-suites.md,
// "Supported Algorithm Suites"): both AES-256-GCM with HKDF-SHA512 key derivation, a
// committed header and one HMAC-SHA384 recipient tag per encrypted data key; 0x6701 adds an
// ECDSA P-384 signature. The header stores only the second byte (the "flavor").

/** The suite a table writes: `committing` = 0x6700 (default), `committing-signed` = 0x6701. */
export type DbeSuiteName = 'committing' | 'committing-signed';

/** A DB-ESDK suite. */
export type DbeSuite = { readonly name: DbeSuiteName; readonly flavor: 0 | 1; readonly signed: boolean };

export const SUITE_COMMITTING: DbeSuite = Object.freeze({ name: 'committing', flavor: 0, signed: false });
export const SUITE_SIGNED: DbeSuite = Object.freeze({ name: 'committing-signed', flavor: 1, signed: true });

/**
 * The suite for a header flavor byte, or undefined for any other byte.
 * @throws never
 * @example
 * ```ts
 * suiteOfFlavor(1); // SUITE_SIGNED
 * ```
 */
export function suiteOfFlavor(flavor: number): DbeSuite | undefined {
  if (flavor === 0) return SUITE_COMMITTING;
  if (flavor === 1) return SUITE_SIGNED;
  return undefined;
}

/** Key, IV and tag sizes of every DBE suite (AES-256-GCM). */
export const KEY_BYTES = 32;
export const IV_BYTES = 12;
export const TAG_BYTES = 16;
/** Message id length (header.md "Message ID"). */
export const MESSAGE_ID_BYTES = 32;
/** Recipient tag = HMAC-SHA384 (footer.md "Recipient Tags"). */
export const RECIPIENT_TAG_BYTES = 48;
/** The footer's ECDSA P-384 signature is DER, always 103 bytes (Footer.dfy SignatureSize). */
export const SIGNATURE_BYTES = 103;
/** The header commitment (header.md "Commitment Calculation"): HMAC-SHA384 truncated to 32 bytes. */
export const COMMITMENT_BYTES = 32;
