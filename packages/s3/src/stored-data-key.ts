import type { WrappedKey } from '@phiseal/core';
import type { S3Format } from './types.js';
import { toBase64 } from './internal/base64.js';
import { V2_KEYS, V3_KEYS, WRAP_KMS_CONTEXT_V2, WRAP_KMS_CONTEXT_V3, WRAP_PHISEAL_V2, WRAP_PHISEAL_V3 } from './internal/constants.js';
import type { ContentMetadata } from './internal/content-metadata.js';
import { prepareDecryption } from './internal/content-seal.js';
import { decryptionFailed, malformed } from './internal/errors.js';
import { mergeInstructionFile, parseInstructionFile } from './internal/instruction-file.js';
import { decodeContentMetadata, needsInstructionFile, s3ecEntries } from './internal/metadata-decode.js';
import { loadWrappedKey, storeWrappedKey } from './internal/wrapped-key-codec.js';

// Key rotation of S3 Encryption Client objects (used by @phiseal/migrate's rewrapBucket).
// Neither format binds the wrapped data key to the body (spec data-format/content-metadata.md;
// V2: AES-GCM under the data key itself, no AAD; V3: the content key and the commitment
// x-amz-d derive from the data key and the message id x-amz-i only), so a new wrapping of
// the SAME data key under another key can replace the stored one and the body stays as it is.

/**
 * The wrapped data key of one S3 Encryption Client object, decoded from its metadata or its
 * instruction file (no key used, no KMS call).
 *
 * @example
 * ```ts
 * const stored: StoredDataKey = readStoredDataKey(head.Metadata, null);
 * const { key } = await from.unwrap([stored.wrapped], stored.context);
 * ```
 */
export type StoredDataKey = {
  readonly format: S3Format;
  /** Where the wrapped key is stored: the object's own metadata, or `<key>.instruction`. */
  readonly location: 'metadata' | 'instruction-file';
  /** The stored wrapping (a KMS CiphertextBlob with an empty `keyId`: the format does not record it). */
  readonly wrapped: WrappedKey;
  /** The stored encryption context (with the reserved `aws:x-amz-cek-alg`): what KMS binds the wrapping to. */
  readonly context: Readonly<Record<string, string>>;
};

// The decoded content metadata behind each StoredDataKey, for verifyStoredDataKey (kept out
// of the public type: it is this package's internal shape).
const decoded = new WeakMap<StoredDataKey, ContentMetadata>();

// HeadObject returns user metadata without 'x-amz-meta-'; raw header maps have it.
const bare = (name: string): string => {
  const k = name.toLowerCase();
  return k.startsWith('x-amz-meta-') ? k.slice('x-amz-meta-'.length) : k;
};

function plainEntries(metadata: Readonly<Record<string, string>> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(metadata ?? {})) out[bare(key)] = value;
  return s3ecEntries(out);
}

const bytesOf = (file: Uint8Array | string): Uint8Array => (typeof file === 'string' ? Buffer.from(file, 'utf8') : file);

/**
 * Decodes the wrapped data key of an S3EC object: from its user metadata (`x-amz-key-v2` /
 * `x-amz-3`), or, when the metadata holds none, from its instruction file's body (V3 keeps
 * `x-amz-c`, `x-amz-d` and `x-amz-i` on the object; they are merged as a read merges them).
 * Classify the object first with `objectState`: a plaintext object has nothing to decode.
 *
 * @throws {@link PhisealError} `MALFORMED_CIPHERTEXT` (incomplete, mixed or invalid content
 * metadata; no instruction file where one is needed), `UNSUPPORTED_OPERATION` (legacy V1 or
 * AES-CBC objects, non-KMS official keyrings).
 * @example
 * ```ts
 * import { readStoredDataKey } from '@phiseal/s3';
 * const stored = readStoredDataKey(head.Metadata, instructionFileBodyOrNull);
 * console.log(stored.format, stored.location); // 'v3' 'metadata'
 * ```
 */
export function readStoredDataKey(metadata: Readonly<Record<string, string>> | undefined, instructionFile: Uint8Array | string | null): StoredDataKey {
  let entries = plainEntries(metadata);
  const location = needsInstructionFile(entries) ? 'instruction-file' : 'metadata';
  if (location === 'instruction-file') {
    if (instructionFile === null) throw malformed();
    entries = mergeInstructionFile(parseInstructionFile(bytesOf(instructionFile)), entries);
  }
  const meta = decodeContentMetadata(entries);
  const stored: StoredDataKey = { format: meta.format, location, wrapped: loadWrappedKey(meta.wrapAlgorithm, meta.encryptedDataKey), context: meta.context };
  decoded.set(stored, meta);
  return stored;
}

/**
 * Checks that `dataKey` is the data key of the object: for V3 the key commitment `x-amz-d`
 * (constant time). V2 has no commitment; its data key is only checked by the body's GCM tag,
 * which a key-only change does not read.
 *
 * @throws {@link PhisealError} `DECRYPTION_FAILED` when the commitment does not match (or `stored` was not made by {@link readStoredDataKey}).
 * @example
 * ```ts
 * verifyStoredDataKey(stored, unwrapped.key); // before wrapping it under the new key
 * ```
 */
export function verifyStoredDataKey(stored: StoredDataKey, dataKey: Uint8Array): void {
  const meta = decoded.get(stored);
  // Only what readStoredDataKey made can be checked: anything else is not an object's key.
  if (meta === undefined) throw decryptionFailed();
  prepareDecryption(meta, dataKey).key.fill(0);
}

/**
 * The object's content metadata with ONLY its wrapped data key replaced by `wrapped` (a new
 * wrapping of the same data key under the same stored context) and the wrapping algorithm
 * set to match it (`kms+context` / `12` for AWS KMS, phiseal's own value for other providers);
 * every other entry is kept as stored. For `location: 'metadata'` it answers the object's
 * complete new user metadata (all of `metadata`, S3EC and not); for `'instruction-file'` the
 * new instruction file body (the object's metadata does not change).
 *
 * @throws {@link PhisealError} `MALFORMED_CIPHERTEXT` when the instruction file is not a JSON object.
 * @example
 * ```ts
 * const next = replaceStoredDataKey(stored, { metadata: head.Metadata, instructionFile: null }, (await to.wrap(key, stored.context))[0]);
 * if ('metadata' in next) await copyOntoItself(next.metadata); else await putInstructionFile(next.instructionFile);
 * ```
 */
export function replaceStoredDataKey(
  stored: StoredDataKey,
  current: { readonly metadata: Readonly<Record<string, string>> | undefined; readonly instructionFile: Uint8Array | string | null },
  wrapped: WrappedKey,
): { metadata: Record<string, string> } | { instructionFile: string } {
  const { wrapAlgorithm, bytes } = storeWrappedKey(wrapped);
  const v2 = stored.format === 'v2';
  const keyName: string = v2 ? V2_KEYS.encryptedDataKey : V3_KEYS.encryptedDataKey;
  const wrapName: string = v2 ? V2_KEYS.wrapAlgorithm : V3_KEYS.wrapAlgorithm;
  const kms = wrapAlgorithm === 'kms+context';
  const wrapValue = v2 ? (kms ? WRAP_KMS_CONTEXT_V2 : WRAP_PHISEAL_V2) : kms ? WRAP_KMS_CONTEXT_V3 : WRAP_PHISEAL_V3;
  const replace = (entries: Record<string, unknown>, name: (k: string) => string): void => {
    let seen = false;
    for (const key of Object.keys(entries)) {
      if (name(key) === keyName) {
        entries[key] = toBase64(bytes);
        seen = true;
      } else if (name(key) === wrapName) entries[key] = wrapValue;
    }
    // Never write an object whose key could not be placed where it was read from.
    if (!seen) throw malformed();
  };
  if (stored.location === 'metadata') {
    const metadata: Record<string, string> = { ...current.metadata };
    replace(metadata, bare);
    return { metadata };
  }
  if (current.instructionFile === null) throw malformed();
  // The stored JSON is re-parsed (not the normalized entries) so that every other value,
  // a nested context object included, is written back as the writer stored it.
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(bytesOf(current.instructionFile)).toString('utf8'));
  } catch {
    throw malformed();
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw malformed();
  const entries = parsed as Record<string, unknown>;
  replace(entries, (k) => k);
  return { instructionFile: JSON.stringify(entries) };
}
