// Names and numbers of the S3 Encryption Client (S3EC) on-object format, as fixed by the
// public specification (awslabs/aws-encryption-sdk-specification, s3-encryption/). They
// are wire constants: changing one breaks interoperability with the official clients.

/** spec data-format/content-metadata.md#content-metadata-mapkeys — V2 mapkeys. */
export const V2_KEYS = {
  encryptedDataKey: 'x-amz-key-v2',
  wrapAlgorithm: 'x-amz-wrap-alg',
  materialsDescription: 'x-amz-matdesc',
  iv: 'x-amz-iv',
  contentCipher: 'x-amz-cek-alg',
  tagLength: 'x-amz-tag-len',
  unencryptedContentLength: 'x-amz-unencrypted-content-length',
} as const;

/** spec data-format/content-metadata.md#content-metadata-mapkeys — V3 compressed mapkeys. */
export const V3_KEYS = {
  contentCipher: 'x-amz-c',
  encryptedDataKey: 'x-amz-3',
  materialsDescription: 'x-amz-m',
  encryptionContext: 'x-amz-t',
  wrapAlgorithm: 'x-amz-w',
  keyCommitment: 'x-amz-d',
  messageId: 'x-amz-i',
} as const;

/** V1 (legacy, AES-CBC) data-key mapkey; only recognised so that V1 objects are refused clearly. */
export const V1_ENCRYPTED_DATA_KEY = 'x-amz-key';

/** Set (empty) on instruction-file objects by the official clients. */
export const INSTRUCTION_FILE_MARKER = 'x-amz-crypto-instr-file';

/** spec data-format/metadata-strategy.md#instruction-file — default suffix. */
export const INSTRUCTION_FILE_SUFFIX = '.instruction';

/** Every mapkey an instruction file may hold (the official clients refuse any other). */
export const S3EC_METADATA_KEYS: ReadonlySet<string> = new Set<string>([
  V1_ENCRYPTED_DATA_KEY,
  V2_KEYS.encryptedDataKey,
  V2_KEYS.wrapAlgorithm,
  V2_KEYS.materialsDescription,
  V2_KEYS.iv,
  V2_KEYS.contentCipher,
  V2_KEYS.tagLength,
  INSTRUCTION_FILE_MARKER,
  ...Object.values(V3_KEYS),
]);

/** spec data-format/metadata-strategy.md#v3-instruction-files — these stay in the object metadata. */
export const V3_OBJECT_ONLY_KEYS: readonly string[] = [V3_KEYS.contentCipher, V3_KEYS.keyCommitment, V3_KEYS.messageId];

/** `x-amz-cek-alg` value of ALG_AES_256_GCM_IV12_TAG16_NO_KDF (V2). */
export const V2_CONTENT_CIPHER = 'AES/GCM/NoPadding';
/** `x-amz-c` value of ALG_AES_256_GCM_HKDF_SHA512_COMMIT_KEY: the suite id 0x0073 in decimal. */
export const V3_CONTENT_CIPHER = '115';
/** The suite id as bytes: HKDF info prefix and GCM AAD (spec key-derivation.md#hkdf-operation). */
export const V3_SUITE_ID_BYTES: Uint8Array = Uint8Array.of(0x00, 0x73);

/** `x-amz-wrap-alg` (V2) / `x-amz-w` (V3) for AWS KMS with encryption context. */
export const WRAP_KMS_CONTEXT_V2 = 'kms+context';
export const WRAP_KMS_CONTEXT_V3 = '12';
/**
 * phiseal-only wrapping values for data keys wrapped by a non-KMS provider (a `local`
 * key in development and tests). The official clients do not know them and refuse such
 * objects, which is the correct outcome: only KMS-wrapped objects interoperate.
 */
export const WRAP_PHISEAL_V2 = 'phiseal+provider';
export const WRAP_PHISEAL_V3 = 'p1';

/** Reserved encryption-context key holding the content algorithm (spec materials/s3-kms-keyring.md#kms-context). */
export const CEK_ALG_CONTEXT_KEY = 'aws:x-amz-cek-alg';
/** The other reserved key (KmsV1 legacy); removed before the exact-context check. */
export const KMS_V1_CONTEXT_KEY = 'kms_cmk_id';

export const GCM_TAG_BYTES = 16;
export const GCM_TAG_BITS = '128';
export const V2_IV_BYTES = 12;
export const V3_MESSAGE_ID_BYTES = 28;
export const V3_COMMITMENT_BYTES = 28;
export const DATA_KEY_BYTES = 32;
/** spec key-derivation.md#hkdf-operation: the V3 content IV is twelve 0x01 bytes. */
export const V3_CONTENT_IV: Uint8Array = new Uint8Array(12).fill(0x01);

export const MiB = 1024 * 1024;
/** Default multipart part size (plaintext bytes per part). */
export const DEFAULT_PART_SIZE = 8 * MiB;
/** S3 refuses non-final parts below 5 MiB. */
export const MIN_PART_SIZE = 5 * MiB;
/** S3 allows at most 10,000 parts. */
export const MAX_PARTS = 10_000;
/** Default limit of buffered (authenticate-then-release) reads, as in the official clients. */
export const DEFAULT_BUFFER_LIMIT = 64 * MiB;
/**
 * GCM's counter is 32 bits: one message may hold at most 2^32 - 2 blocks (NIST SP 800-38D
 * section 5.2.1.1), just under 64 GiB of plaintext.
 */
export const MAX_GCM_PLAINTEXT_BYTES = (2 ** 32 - 2) * 16;
