import type { CipherGCM } from 'node:crypto';
import type { S3Format } from '../types.js';
import { createContentCipher } from './content-cipher.js';
import type { WriteMaterials } from './materials.js';
import { encodeContentMetadata, placeMetadata, type EncodedMetadata } from './metadata-encode.js';

/**
 * The start of a streamed write (upload, multipart through the middleware): one GCM cipher
 * over the whole object (spec client.md#optional-api-operations: "Each part MUST be encrypted
 * in sequence") and the content metadata placed for the format. The content key is zeroed
 * once the cipher holds it: nothing else needs it.
 */
export function startStreamCipher(
  materials: WriteMaterials,
  format: S3Format,
  useInstructionFile: boolean,
): { cipher: CipherGCM; placed: EncodedMetadata } {
  const cipher = createContentCipher(materials.content);
  materials.content.key.fill(0);
  const placed = placeMetadata(encodeContentMetadata(materials.meta), format, useInstructionFile);
  return { cipher, placed };
}
