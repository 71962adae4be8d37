import { S3EC_METADATA_KEYS, V2_KEYS, V3_OBJECT_ONLY_KEYS } from './constants.js';
import { malformed } from './errors.js';

const CONTEXT_KEYS = new Set(['x-amz-matdesc', 'x-amz-m', 'x-amz-t']);

/**
 * Parses an instruction file: a JSON object of S3EC mapkeys and nothing else (spec
 * data-format/metadata-strategy.md#instruction-file). Context values may be JSON strings
 * (as written) or nested objects (tolerated, as the Python client does).
 * @throws PhisealError `MALFORMED_CIPHERTEXT`.
 */
export function parseInstructionFile(body: Uint8Array): Record<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(body).toString('utf8'));
  } catch {
    // No parser error as cause: its message quotes the stored text (issue 11, defect 12).
    throw malformed();
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw malformed();
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(parsed)) {
    if (!S3EC_METADATA_KEYS.has(key)) throw malformed();
    // spec metadata-strategy.md#v3-instruction-files: x-amz-c, x-amz-d, x-amz-i MUST NOT
    // be in the instruction file; finding one means it was tampered with.
    if (V3_OBJECT_ONLY_KEYS.includes(key)) throw malformed();
    if (typeof value === 'string') out[key] = value;
    else if (CONTEXT_KEYS.has(key) && typeof value === 'object' && value !== null && !Array.isArray(value))
      out[key] = JSON.stringify(value);
    else throw malformed();
  }
  return out;
}

/**
 * Merges instruction-file entries with the object's own S3EC entries. For V1/V2 every
 * content entry must come from the instruction file (spec metadata-strategy.md
 * #v1-v2-instruction-files); content entries on the object as well are an illegal mix.
 * @throws PhisealError `MALFORMED_CIPHERTEXT`.
 */
export function mergeInstructionFile(
  instruction: Readonly<Record<string, string>>,
  objectEntries: Readonly<Record<string, string>>,
): Record<string, string> {
  const isV2 = instruction[V2_KEYS.encryptedDataKey] !== undefined;
  if (isV2 && [V2_KEYS.contentCipher, V2_KEYS.iv, V2_KEYS.wrapAlgorithm].some((k) => objectEntries[k] !== undefined)) {
    throw malformed();
  }
  return { ...instruction, ...objectEntries };
}
