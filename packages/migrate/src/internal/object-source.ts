import { ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { manifestFiles, manifestRows } from './manifest-source.js';

/** Where a bucket run stands: after a listed key, or after a line of a manifest file. */
export type SourcePosition = { startAfter?: string } | { file: number; line: number };

/**
 * A chunk of work: keys (or value-free reasons a row names none) and the position after it.
 * `listedEtag`: the listing showed the key with this ETag and showed no `<key>.instruction`.
 */
export type Chunk = { entries: ({ key: string; listedEtag?: string } | { invalid: string })[]; position: SourcePosition };

/** Keys per batch by default: one ListObjectsV2 page. */
export const DEFAULT_BATCH = 1000;

type Page = { objects: { key: string; etag: string | undefined }[]; last: boolean };

// S3 lists keys in UTF-8 byte order (JavaScript compares UTF-16 code units: not the same).
const byteOrder = (a: string, b: string): number => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));

/**
 * Which keys of `page` the listing proves to have no `<key>.instruction`: the instruction file's
 * key sorts after its object's (same prefix, longer), so it is absent when the listing went past
 * it without showing it, in this page or the next one, or when the listing ended. Any key whose
 * instruction file could lie beyond what was listed gets no proof (its lookup is made).
 */
export function instructionFileProofs(page: Page, next: Page | undefined): Chunk['entries'] {
  const seen = new Set([...page.objects, ...(next?.objects ?? [])].map((o) => o.key));
  const ended = page.last || next?.last === true;
  const horizon = (next?.objects.length ?? 0) > 0 ? next?.objects.at(-1)?.key : page.objects.at(-1)?.key;
  return page.objects.map(({ key, etag }) => {
    const instruction = `${key}.instruction`;
    const proven = etag !== undefined && etag !== '' && !seen.has(instruction) && (ended || (horizon !== undefined && byteOrder(instruction, horizon) < 0));
    return proven ? { key, listedEtag: etag } : { key };
  });
}

/** Keys under `prefix`, in listing order, from after `position`; one page is listed ahead (see instructionFileProofs). */
export async function* listingChunks(client: S3Client, bucket: string, prefix: string | undefined, position: SourcePosition | undefined, size = DEFAULT_BATCH): AsyncGenerator<Chunk> {
  const startAfter = position !== undefined && 'startAfter' in position ? position.startAfter : undefined;
  let token: string | undefined;
  const list = async (): Promise<Page> => {
    const out = await client.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, MaxKeys: size, ...(token === undefined ? (startAfter === undefined ? {} : { StartAfter: startAfter }) : { ContinuationToken: token }) }),
    );
    const last = out.IsTruncated !== true || out.NextContinuationToken === undefined;
    token = last ? undefined : out.NextContinuationToken;
    return { objects: (out.Contents ?? []).flatMap((o) => (o.Key === undefined ? [] : [{ key: o.Key, etag: o.ETag }])), last };
  };
  let page = await list();
  let after = startAfter;
  for (;;) {
    const next = page.last ? undefined : await list();
    after = page.objects.at(-1)?.key ?? after;
    if (page.objects.length > 0) yield { entries: instructionFileProofs(page, next), position: after === undefined ? {} : { startAfter: after } };
    if (next === undefined) return;
    page = next;
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
