// ESDK algorithm suites (aws-encryption-sdk-specification framework/algorithm-suites.md,
// "Supported Algorithm Suites" and the key-derivation / commitment / signature tables).
// phiseal writes only 0x0478 and 0x0578; the others are read under the
// 'require-encrypt-allow-decrypt' commitment policy, for data older SDKs wrote.

/** What decryption of a suite needs to know. */
export type Suite = {
  readonly id: number;
  /** Message format version: 2 for the committing suites, 1 for the legacy ones. */
  readonly version: 1 | 2;
  /** Data key and encryption key length in bytes. */
  readonly keyLength: 16 | 24 | 32;
  /** Key derivation: identity (no KDF) or HKDF with this hash. */
  readonly kdf: 'identity' | 'sha256' | 'sha384' | 'sha512';
  readonly committing: boolean;
  /** ECDSA curve and hash of the footer signature, when the suite signs. */
  readonly signing?: { readonly curve: 'P-256' | 'P-384'; readonly hash: 'sha256' | 'sha384'; readonly pointLength: number };
  /** Algorithm suite data length in the v2 header (the commit key). */
  readonly suiteDataLength: number;
};

export const IV_LENGTH = 12;
export const TAG_LENGTH = 16;

const P256 = { curve: 'P-256', hash: 'sha256', pointLength: 33 } as const;
const P384 = { curve: 'P-384', hash: 'sha384', pointLength: 49 } as const;

const legacy = (id: number, keyLength: 16 | 24 | 32, kdf: Suite['kdf'], signing?: Suite['signing']): Suite =>
  signing
    ? { id, version: 1, keyLength, kdf, committing: false, signing, suiteDataLength: 0 }
    : { id, version: 1, keyLength, kdf, committing: false, suiteDataLength: 0 };

/** ALG_AES_256_GCM_HKDF_SHA512_COMMIT_KEY: phiseal's default. */
export const COMMITTING: Suite = { id: 0x0478, version: 2, keyLength: 32, kdf: 'sha512', committing: true, suiteDataLength: 32 };
/** ALG_AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384. */
export const COMMITTING_SIGNED: Suite = { ...COMMITTING, id: 0x0578, signing: P384 };

const ALL: readonly Suite[] = [
  COMMITTING,
  COMMITTING_SIGNED,
  legacy(0x0014, 16, 'identity'),
  legacy(0x0046, 24, 'identity'),
  legacy(0x0078, 32, 'identity'),
  legacy(0x0114, 16, 'sha256'),
  legacy(0x0146, 24, 'sha256'),
  legacy(0x0178, 32, 'sha256'),
  legacy(0x0214, 16, 'sha256', P256),
  legacy(0x0346, 24, 'sha384', P384),
  legacy(0x0378, 32, 'sha384', P384),
];

const BY_ID = new Map(ALL.map((suite) => [suite.id, suite]));

/** The suite with this id, or undefined for an unknown id. */
export const suiteById = (id: number): Suite | undefined => BY_ID.get(id);

/** Message id length: 32 bytes in v2 (it is also the HKDF salt), 16 in v1. */
export const messageIdLength = (suite: Suite): number => (suite.version === 2 ? 32 : 16);
