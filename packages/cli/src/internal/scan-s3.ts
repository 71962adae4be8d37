import { GetBucketTaggingCommand, GetObjectTaggingCommand, HeadObjectCommand, ListObjectsV2Command, type S3Client, type Tag } from '@aws-sdk/client-s3';
import { safeLabel } from './mask.js';
import type { ScanTarget } from './scan-target.js';

// S3 Encryption Client metadata (wrapped keys, IVs, algorithm ids) is binary noise to a
// detector; only the stored encryption context (V2 `x-amz-matdesc`, V3 `x-amz-t`) and a raw
// keyring's material description (V3 `x-amz-m`) are text a caller chose, so they are scanned
// as contexts. Any other metadata, `x-amz-*` names another writer chose included, is scanned.
const CONTEXT_METADATA = new Set(['x-amz-matdesc', 'x-amz-t', 'x-amz-m']);
const FORMAT_METADATA = new Set([
  'x-amz-key', 'x-amz-key-v2', 'x-amz-iv', 'x-amz-cek-alg', 'x-amz-wrap-alg', 'x-amz-tag-len', 'x-amz-unencrypted-content-length',
  'x-amz-c', 'x-amz-3', 'x-amz-w', 'x-amz-d', 'x-amz-i', 'x-amz-crypto-instr-file',
]);
// The one reserved context entry the S3 Encryption Client writes; its value is an algorithm id.
const ALGORITHM_CONTEXT_KEY = 'aws:x-amz-cek-alg';

async function tagSetOf(load: () => Promise<{ TagSet?: Tag[] | undefined }>): Promise<Tag[]> {
  try {
    return (await load()).TagSet ?? [];
  } catch (error) {
    // A bucket without tags answers with an error, not an empty set.
    if (error instanceof Error && error.name === 'NoSuchTagSet') return [];
    throw error;
  }
}

function* contextTargets(resource: string, json: string): Generator<ScanTarget> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return;
  }
  if (typeof parsed !== 'object' || parsed === null) return;
  for (const [k, v] of Object.entries(parsed as Record<string, unknown>)) {
    if (k === ALGORITHM_CONTEXT_KEY) continue;
    yield { where: 'encryptionContext', resource, field: 'encryption context key', value: k };
    if (typeof v === 'string') yield { where: 'encryptionContext', resource, field: `encryption context ${safeLabel(k, 'encryptionContext')}`, value: v };
  }
}

/**
 * The bucket's name and tags, then for up to `limit` objects: the key, user metadata names
 * and values, the stored encryption context and the object tags.
 */
export async function* s3Targets(client: S3Client, bucket: string, limit: number): AsyncGenerator<ScanTarget> {
  const bucketLabel = `s3://${safeLabel(bucket, 's3.bucket')}`;
  yield { where: 's3.bucket', resource: bucketLabel, field: 'bucket name', value: bucket };
  for (const tag of await tagSetOf(() => client.send(new GetBucketTaggingCommand({ Bucket: bucket })))) {
    if (tag.Key) yield { where: 'tag', resource: bucketLabel, field: 'bucket tag key', value: tag.Key };
    if (tag.Value) yield { where: 'tag', resource: bucketLabel, field: `bucket tag ${safeLabel(tag.Key ?? '', 'tag')}`, value: tag.Value };
  }
  let seen = 0;
  let token: string | undefined;
  do {
    const page = await client.send(
      new ListObjectsV2Command({ Bucket: bucket, MaxKeys: Math.min(1000, limit - seen), ContinuationToken: token }),
    );
    for (const object of page.Contents ?? []) {
      if (seen >= limit || object.Key === undefined) break;
      seen += 1;
      const key = object.Key;
      const resource = `${bucketLabel}/${safeLabel(key, 's3.key')}`;
      yield { where: 's3.key', resource: bucketLabel, field: 'object key', value: key };
      const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
      for (const [name, value] of Object.entries(head.Metadata ?? {})) {
        if (CONTEXT_METADATA.has(name)) {
          yield* contextTargets(resource, value);
          continue;
        }
        if (FORMAT_METADATA.has(name)) continue;
        yield { where: 's3.metadata', resource, field: 'metadata name', value: name };
        yield { where: 's3.metadata', resource, field: `metadata ${safeLabel(name, 's3.metadata')}`, value };
      }
      for (const tag of await tagSetOf(() => client.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: key })))) {
        if (tag.Key) yield { where: 'tag', resource, field: 'tag key', value: tag.Key };
        if (tag.Value) yield { where: 'tag', resource, field: `tag ${safeLabel(tag.Key ?? '', 'tag')}`, value: tag.Value };
      }
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token !== undefined && seen < limit);
}
