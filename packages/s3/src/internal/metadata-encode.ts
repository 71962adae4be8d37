import {
  GCM_TAG_BITS,
  V2_CONTENT_CIPHER,
  V2_KEYS,
  V3_CONTENT_CIPHER,
  V3_KEYS,
  V3_OBJECT_ONLY_KEYS,
  WRAP_KMS_CONTEXT_V2,
  WRAP_KMS_CONTEXT_V3,
  WRAP_PHISEAL_V2,
  WRAP_PHISEAL_V3,
} from './constants.js';
import { toBase64 } from './base64.js';
import type { ContentMetadata } from './content-metadata.js';

/** Where the content metadata goes: all in object metadata, or split with an instruction file. */
export type EncodedMetadata = {
  /** S3EC entries for the object's user metadata (S3 adds the `x-amz-meta-` prefix). */
  objectMetadata: Record<string, string>;
  /** The instruction file's entries, when instruction files are used. */
  instructionFile?: Record<string, string>;
};

function contextJson(context: Record<string, string>): string {
  return JSON.stringify(context);
}

/**
 * Encodes content metadata as the official clients write it (spec data-format/
 * content-metadata.md#content-metadata-mapkeys): V2 writes x-amz-key-v2, x-amz-iv,
 * x-amz-cek-alg, x-amz-tag-len, x-amz-wrap-alg and x-amz-matdesc; V3 writes x-amz-c,
 * x-amz-3, x-amz-w, x-amz-t (KMS context), x-amz-d and x-amz-i.
 */
export function encodeContentMetadata(meta: ContentMetadata): Record<string, string> {
  const edk = toBase64(meta.encryptedDataKey);
  if (meta.format === 'v2') {
    return {
      [V2_KEYS.encryptedDataKey]: edk,
      [V2_KEYS.iv]: toBase64(meta.iv ?? new Uint8Array(0)),
      [V2_KEYS.contentCipher]: V2_CONTENT_CIPHER,
      [V2_KEYS.tagLength]: GCM_TAG_BITS,
      [V2_KEYS.wrapAlgorithm]: meta.wrapAlgorithm === 'kms+context' ? WRAP_KMS_CONTEXT_V2 : WRAP_PHISEAL_V2,
      [V2_KEYS.materialsDescription]: contextJson(meta.context),
    };
  }
  const out: Record<string, string> = {
    [V3_KEYS.contentCipher]: V3_CONTENT_CIPHER,
    [V3_KEYS.encryptedDataKey]: edk,
    [V3_KEYS.wrapAlgorithm]: meta.wrapAlgorithm === 'kms+context' ? WRAP_KMS_CONTEXT_V3 : WRAP_PHISEAL_V3,
  };
  // spec content-metadata.md#v3-only: x-amz-t carries the KMS encryption context; the
  // official clients omit it when empty (never the case here: the reserved entry is always in).
  if (Object.keys(meta.context).length > 0) out[V3_KEYS.encryptionContext] = contextJson(meta.context);
  out[V3_KEYS.keyCommitment] = toBase64(meta.commitment ?? new Uint8Array(0));
  out[V3_KEYS.messageId] = toBase64(meta.messageId ?? new Uint8Array(0));
  return out;
}

/**
 * Splits encoded metadata between the object and its instruction file (spec data-format/
 * metadata-strategy.md#v1-v2-instruction-files and #v3-instruction-files): V2 puts every
 * entry in the instruction file; V3 keeps x-amz-c, x-amz-d and x-amz-i on the object and
 * moves the key material (x-amz-3, x-amz-w, x-amz-m, x-amz-t) to the instruction file.
 */
export function placeMetadata(
  encoded: Record<string, string>,
  format: ContentMetadata['format'],
  useInstructionFile: boolean,
): EncodedMetadata {
  if (!useInstructionFile) return { objectMetadata: { ...encoded } };
  const objectMetadata: Record<string, string> = {};
  const instructionFile: Record<string, string> = {};
  for (const [key, value] of Object.entries(encoded)) {
    if (format === 'v3' && V3_OBJECT_ONLY_KEYS.includes(key)) objectMetadata[key] = value;
    else instructionFile[key] = value;
  }
  return { objectMetadata, instructionFile };
}

/** The instruction file body: the JSON object and nothing else (spec metadata-strategy.md#instruction-file). */
export function serializeInstructionFile(entries: Record<string, string>): string {
  return JSON.stringify(entries);
}
