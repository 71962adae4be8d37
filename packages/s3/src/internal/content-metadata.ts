import type { ContentFormat } from './content-cipher.js';

/** How the data key was wrapped: AWS KMS with context (interoperable), or a phiseal key provider. */
export type WrapAlgorithm = 'kms+context' | 'phiseal';

/** Content metadata of one object, independent of where it is stored (object metadata or instruction file). */
export type ContentMetadata = {
  format: ContentFormat;
  wrapAlgorithm: WrapAlgorithm;
  /** The stored (wrapped) data key bytes: a KMS CiphertextBlob for `kms+context`. */
  encryptedDataKey: Uint8Array;
  /** The stored encryption context, including the reserved `aws:x-amz-cek-alg` entry. */
  context: Record<string, string>;
  /** V2: the random 12-byte IV. */
  iv?: Uint8Array;
  /** V3: the random 28-byte message id (HKDF salt). */
  messageId?: Uint8Array;
  /** V3: the 28-byte key commitment. */
  commitment?: Uint8Array;
};
