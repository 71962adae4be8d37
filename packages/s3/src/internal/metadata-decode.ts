import { PhisealError } from '@phiseal/guard';
import {
  GCM_TAG_BITS,
  S3EC_METADATA_KEYS,
  V1_ENCRYPTED_DATA_KEY,
  V2_CONTENT_CIPHER,
  V2_IV_BYTES,
  V2_KEYS,
  V3_COMMITMENT_BYTES,
  V3_CONTENT_CIPHER,
  V3_KEYS,
  V3_MESSAGE_ID_BYTES,
  WRAP_KMS_CONTEXT_V2,
  WRAP_KMS_CONTEXT_V3,
  WRAP_PHISEAL_V2,
  WRAP_PHISEAL_V3,
} from './constants.js';
import { fromBase64 } from './base64.js';
import type { ContentMetadata, WrapAlgorithm } from './content-metadata.js';
import { malformed } from './errors.js';

const EXCLUSIVE_KEYS = [V1_ENCRYPTED_DATA_KEY, V2_KEYS.encryptedDataKey, V3_KEYS.encryptedDataKey];
const V2_ONLY = [V2_KEYS.iv, V2_KEYS.contentCipher, V2_KEYS.wrapAlgorithm, V2_KEYS.materialsDescription, V2_KEYS.tagLength];
const V3_ONLY = Object.values(V3_KEYS) as string[];

/** The S3EC entries of an object's user metadata (S3 returns mapkeys lower-cased, without `x-amz-meta-`). */
export function s3ecEntries(metadata: Readonly<Record<string, string>> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(metadata ?? {})) {
    const k = key.toLowerCase();
    if (S3EC_METADATA_KEYS.has(k) || k === V2_KEYS.unencryptedContentLength) out[k] = value;
  }
  return out;
}

/**
 * Whether the object's own metadata lacks the data key, so the content metadata must come
 * from the instruction file (spec content-metadata.md#determining-s3ec-object-status: "If
 * the object matches none of the V1/V2/V3 formats, the S3EC MUST attempt to get the
 * instruction file").
 */
export function needsInstructionFile(entries: Readonly<Record<string, string>>): boolean {
  return EXCLUSIVE_KEYS.every((key) => entries[key] === undefined);
}

function parseContext(json: string | undefined): Record<string, string> {
  if (json === undefined) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    // Not the parser's error as cause: V8 quotes the input, and the bucket's writer chose it
    // (issue 11, defect 12). Errors carry no stored values.
    throw malformed();
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw malformed();
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(parsed)) {
    if (typeof value !== 'string') throw malformed();
    out[key] = value;
  }
  return out;
}

function unsupported(what: string): PhisealError {
  return new PhisealError(
    'UNSUPPORTED_OPERATION',
    `This object uses ${what}, which phiseal does not read (it reads the authenticated V2 AES-GCM and V3 key-committing formats with KMS-wrapped keys).`,
    { details: { format: what } },
  );
}

function decodeV2(m: Readonly<Record<string, string>>): ContentMetadata {
  // A V2 object carrying V3 mapkeys is a format-confusion attempt (for example V2 keys
  // injected through an instruction file to bypass V3 commitment): refuse it.
  if (V3_ONLY.some((key) => m[key] !== undefined)) throw malformed();
  const cipher = m[V2_KEYS.contentCipher];
  if (cipher === 'AES/CBC/PKCS5Padding') throw unsupported('the legacy unauthenticated AES-CBC content algorithm');
  if (cipher !== V2_CONTENT_CIPHER) throw malformed();
  if (m[V2_KEYS.tagLength] !== GCM_TAG_BITS) throw malformed();
  const wrap = m[V2_KEYS.wrapAlgorithm];
  let wrapAlgorithm: WrapAlgorithm;
  if (wrap === WRAP_KMS_CONTEXT_V2) wrapAlgorithm = 'kms+context';
  else if (wrap === WRAP_PHISEAL_V2) wrapAlgorithm = 'phiseal';
  else if (wrap === 'kms' || wrap === 'AES/GCM' || wrap === 'AESWrap') throw unsupported(`the ${wrap} key wrapping`);
  // A fixed label, never the stored name: anything after "RSA" is the writer's text.
  else if ((wrap ?? '').startsWith('RSA')) throw unsupported('the RSA key wrapping');
  else throw malformed();
  return {
    format: 'v2',
    wrapAlgorithm,
    encryptedDataKey: fromBase64(m[V2_KEYS.encryptedDataKey]),
    context: parseContext(m[V2_KEYS.materialsDescription]),
    iv: fromBase64(m[V2_KEYS.iv], V2_IV_BYTES),
  };
}

function decodeV3(m: Readonly<Record<string, string>>): ContentMetadata {
  if (V2_ONLY.some((key) => m[key] !== undefined)) throw malformed();
  if (m[V3_KEYS.contentCipher] !== V3_CONTENT_CIPHER) throw malformed();
  const wrap = m[V3_KEYS.wrapAlgorithm];
  let wrapAlgorithm: WrapAlgorithm;
  if (wrap === WRAP_KMS_CONTEXT_V3) wrapAlgorithm = 'kms+context';
  else if (wrap === WRAP_PHISEAL_V3) wrapAlgorithm = 'phiseal';
  else if (wrap === '02' || wrap === '22') throw unsupported(`the raw-keyring key wrapping ${wrap}`);
  else throw malformed();
  // spec content-metadata.md#v3-only: x-amz-t is the context for kms+context (and for
  // phiseal's own wrapping); x-amz-m is a raw keyring's material description.
  return {
    format: 'v3',
    wrapAlgorithm,
    encryptedDataKey: fromBase64(m[V3_KEYS.encryptedDataKey]),
    context: parseContext(m[V3_KEYS.encryptionContext]),
    messageId: fromBase64(m[V3_KEYS.messageId], V3_MESSAGE_ID_BYTES),
    commitment: fromBase64(m[V3_KEYS.keyCommitment], V3_COMMITMENT_BYTES),
  };
}

/**
 * Decodes merged content metadata (spec content-metadata.md#determining-s3ec-object-status).
 * @throws PhisealError `MALFORMED_CIPHERTEXT` for anything missing, unknown or mixed between
 * formats; `UNSUPPORTED_OPERATION` for legacy V1/CBC objects and non-KMS official keyrings.
 */
export function decodeContentMetadata(m: Readonly<Record<string, string>>): ContentMetadata {
  const present = EXCLUSIVE_KEYS.filter((key) => m[key] !== undefined);
  // spec: "If there are multiple mapkeys which are meant to be exclusive ... the S3EC SHOULD throw".
  if (present.length !== 1) throw malformed();
  if (present[0] === V1_ENCRYPTED_DATA_KEY) throw unsupported('the legacy V1 format');
  return present[0] === V2_KEYS.encryptedDataKey ? decodeV2(m) : decodeV3(m);
}
