import { ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import type { Guard } from '@phiseal/core';
import { instructionFileProofs } from './object-source.js';

// S3 lists keys in UTF-8 byte order (JavaScript compares UTF-16 code units: not the same).
const byteOrder = (a: string, b: string): number => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));

function commonPrefix(a: string, b: string): string {
  const x = Array.from(a);
  const y = Array.from(b);
  let n = 0;
  while (n < x.length && n < y.length && x[n] === y[n]) n++;
  return x.slice(0, n).join('');
}

/**
 * For keys that came from no listing of this run (the rows of a manifest, the items of a
 * Distributed Map batch): per key, the ETag with which a LIVE listing made now showed it while
 * showing that `<key>.instruction` does not exist, else undefined (its lookup is made).
 *
 * Why this is a proof where the manifest itself is not: ListObjectsV2 is strongly consistent,
 * and the Java S3EC v3/v4 (ContentMetadataEncodingStrategy) and phiseal's S3 adapter write
 * `<key>.instruction` BEFORE the object, so an object whose ETag the listing shows already had
 * its instruction file, which the same listing would show; the object is used only if the
 * read finds that ETag again (see ListingProof). An object-first writer can be caught between
 * its two writes by a listing and by a lookup alike (see the package README). An S3 Inventory
 * is no proof: it is eventually consistent ("might not include recently added objects", no
 * bound stated) and hours to days old, so a row whose object was written as the report began
 * may lack its instruction file's row for good; and the Java SDK v1 AmazonS3EncryptionClient
 * writes the object first, so an unchanged ETag does not vouch for the file either.
 *
 * The range walked runs from just below the batch's first key to past its last key's
 * `.instruction` (byte order), at most `ceil(n / 1000) + 1` pages; keys the walk did not get
 * past keep their lookup. Its bounds are derived from the keys, so only keys the guard lets
 * through take part, and the bounds are checked too. A failed listing (no s3:ListBucket
 * permission, say) proves nothing and fails nothing.
 */
export async function rangeProofs(client: S3Client, bucket: string, keys: readonly string[], guard: Guard): Promise<(string | undefined)[]> {
  const none = keys.map(() => undefined);
  // A key the guard refuses is never sent, not even cut short as a listing's bound.
  const sendable = keys.filter((key) => {
    try {
      guard.check(key, 's3.key');
      return true;
    } catch {
      return false;
    }
  });
  if (sendable.length === 0) return none;
  const sorted = [...new Set(sendable)].sort(byteOrder);
  const lo = sorted[0] as string;
  const hi = `${sorted.at(-1) as string}.instruction`;
  const prefix = commonPrefix(lo, hi);
  // The greatest string below `lo` S3 can be asked for: lo without its last character.
  const startAfter = Array.from(lo).slice(0, -1).join('');
  try {
    if (prefix !== '') guard.check(prefix, 's3.key');
    if (startAfter !== '' && startAfter !== prefix) guard.check(startAfter, 's3.key');
  } catch {
    return none;
  }
  const objects: { key: string; etag: string | undefined }[] = [];
  let token: string | undefined;
  let ended = false;
  try {
    for (let pages = Math.ceil(keys.length / 1000) + 1; pages > 0; pages--) {
      const out = await client.send(new ListObjectsV2Command({
        Bucket: bucket,
        ...(prefix === '' ? {} : { Prefix: prefix }),
        ...(token === undefined ? (startAfter === '' ? {} : { StartAfter: startAfter }) : { ContinuationToken: token }),
      }));
      for (const o of out.Contents ?? []) if (o.Key !== undefined) objects.push({ key: o.Key, etag: o.ETag });
      ended = out.IsTruncated !== true || out.NextContinuationToken === undefined;
      token = out.NextContinuationToken;
      const last = objects.at(-1)?.key;
      if (ended || (last !== undefined && byteOrder(last, hi) > 0)) break;
    }
  } catch {
    return none;
  }
  const proven = new Map<string, string>();
  for (const entry of instructionFileProofs({ objects, last: ended }, undefined)) {
    if ('listedEtag' in entry && entry.listedEtag !== undefined) proven.set(entry.key, entry.listedEtag);
  }
  return keys.map((key) => proven.get(key));
}
