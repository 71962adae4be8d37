import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { EncryptionContext } from '../key-provider.js';
import { decryptionFailed } from './failures.js';
import { compactKeys, type KeyMaterial, type SealingMaterial } from './material.js';
import { STREAM_ID_LENGTH, buildStreamHeader, streamKey, type StreamHeader } from './stream-format.js';
import type { StreamStart } from './stream-transforms.js';

/** A new stream's header and its own key, from a cached data key (docs/format.md §9). */
export function startStream(material: SealingMaterial, context: EncryptionContext, frameLength: number): StreamStart {
  const streamId = randomBytes(STREAM_ID_LENGTH);
  return {
    header: buildStreamHeader(material.wrapped, context, frameLength, streamId, compactKeys(material).commitment),
    key: streamKey(material.dataKey, streamId),
  };
}

/** The stream key for a parsed header, after the key commitment matches (in constant time). */
export function openStreamKey(material: KeyMaterial, header: StreamHeader): Buffer {
  if (!timingSafeEqual(compactKeys(material).commitment, header.commitment)) throw decryptionFailed();
  return streamKey(material.dataKey, header.streamId);
}
