import { ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { manifestFiles, manifestRows } from './manifest-source.js';

/** Where a bucket run stands: after a listed key, or after a line of a manifest file. */
export type SourcePosition = { startAfter?: string } | { file: number; line: number };

/** A chunk of work: keys (or value-free reasons a row names none) and the position after it. */
export type Chunk = { entries: ({ key: string } | { invalid: string })[]; position: SourcePosition };

/** Keys per batch by default: one ListObjectsV2 page. */
export const DEFAULT_BATCH = 1000;

/** Keys under `prefix`, in listing order, from after `position`. */
export async function* listingChunks(client: S3Client, bucket: string, prefix: string | undefined, position: SourcePosition | undefined, size = DEFAULT_BATCH): AsyncGenerator<Chunk> {
  let startAfter = position !== undefined && 'startAfter' in position ? position.startAfter : undefined;
  let token: string | undefined;
  for (;;) {
    const out = await client.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, MaxKeys: size, ...(token === undefined ? (startAfter === undefined ? {} : { StartAfter: startAfter }) : { ContinuationToken: token }) }),
    );
    const keys = (out.Contents ?? []).flatMap((o) => (o.Key === undefined ? [] : [o.Key]));
    const last = keys.at(-1);
    if (last !== undefined) startAfter = last;
    if (keys.length > 0) yield { entries: keys.map((key) => ({ key })), position: startAfter === undefined ? {} : { startAfter } };
    if (out.IsTruncated !== true || out.NextContinuationToken === undefined) return;
    token = out.NextContinuationToken;
  }
}

/** Rows of a manifest (S3 Inventory manifest.json or a CSV manifest), from after `position`. */
export async function* manifestChunks(client: S3Client, bucket: string, manifest: string, position: SourcePosition | undefined, size = DEFAULT_BATCH): AsyncGenerator<Chunk> {
  const { files, schema, gzip } = await manifestFiles(client, manifest);
  const from = position !== undefined && 'file' in position ? position : { file: 0, line: 0 };
  for (let f = from.file; f < files.length; f++) {
    let line = f === from.file ? from.line : 0;
    let entries: Chunk['entries'] = [];
    for await (const row of manifestRows(client, files[f] as never, gzip[f] === true, schema, bucket, line)) {
      line++;
      if ('key' in row) entries.push({ key: row.key });
      else if ('invalid' in row) entries.push({ invalid: row.invalid });
      if (entries.length >= size) {
        yield { entries, position: { file: f, line } };
        entries = [];
      }
    }
    yield { entries, position: { file: f + 1, line: 0 } };
  }
}
