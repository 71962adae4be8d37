/** One plaintext part of an upload; `last` is known because the chunker reads one part ahead. */
export type PlainPart = { data: Buffer; last: boolean };

/**
 * Cuts a byte stream into parts of exactly `partSize` bytes (the last part holds the rest).
 * A part is emitted only once more data is known to follow it, so the final part — which
 * carries the GCM tag — is always recognised, even for a stream of unknown length. Holds
 * at most about one part plus one incoming chunk in memory.
 */
export async function* chunkParts(source: AsyncIterable<Uint8Array>, partSize: number): AsyncGenerator<PlainPart> {
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  for await (const chunk of source) {
    if (chunk.length === 0) continue;
    pending.push(chunk);
    pendingBytes += chunk.length;
    // Strictly more than one part buffered: the first part is certainly not the last.
    while (pendingBytes > partSize) {
      const joined = Buffer.concat(pending, pendingBytes);
      // Slices, not copies: the joined buffer lives until the next part is cut, so at
      // most about two parts are held, and a huge single chunk is not copied per part.
      const part = joined.subarray(0, partSize);
      const rest = joined.subarray(partSize);
      pending = rest.length > 0 ? [rest] : [];
      pendingBytes = rest.length;
      yield { data: part, last: false };
    }
  }
  yield { data: Buffer.concat(pending, pendingBytes), last: true };
}
