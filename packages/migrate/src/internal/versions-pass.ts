import { DeleteObjectCommand, GetBucketVersioningCommand, HeadObjectCommand, ListObjectVersionsCommand, type S3Client } from '@aws-sdk/client-s3';
import { MAX_REPORTED_ERRORS, type MigrationReport } from '../types.js';
import { describeFailure } from './failure.js';

const S3EC = /^x-amz-(key|key-v2|3|c|d|i|iv|cek-alg|wrap-alg|matdesc|tag-len|w|m|t|crypto-instr-file)$/;

/**
 * In a versioned bucket, migration leaves the plaintext versions it replaced as noncurrent
 * versions. This pass counts them (`plaintextVersions`) and, only when asked, deletes them
 * (`plaintextVersionsDeleted`; a version under object lock stays and is reported failed).
 * A noncurrent version without S3EC metadata counts as plaintext: a V2 version written with
 * an instruction file cannot be told apart once its instruction file moved on.
 */
export async function versionsPass(client: S3Client, bucket: string, prefix: string | undefined, remove: boolean, report: MigrationReport): Promise<void> {
  const versioning = await client.send(new GetBucketVersioningCommand({ Bucket: bucket }));
  if (versioning.Status === undefined) return;
  report.plaintextVersions = 0;
  if (remove) report.plaintextVersionsDeleted = 0;
  let keyMarker: string | undefined;
  let versionMarker: string | undefined;
  let n = 0;
  for (;;) {
    const out = await client.send(new ListObjectVersionsCommand({ Bucket: bucket, Prefix: prefix, KeyMarker: keyMarker, VersionIdMarker: versionMarker }));
    for (const v of out.Versions ?? []) {
      if (v.IsLatest === true || v.Key === undefined || v.VersionId === undefined) continue;
      const id = `version-${n++}`;
      const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: v.Key, VersionId: v.VersionId }));
      if (Object.keys(head.Metadata ?? {}).some((name) => S3EC.test(name.toLowerCase()))) continue;
      report.plaintextVersions++;
      if (!remove) continue;
      try {
        await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: v.Key, VersionId: v.VersionId }));
        report.plaintextVersionsDeleted = (report.plaintextVersionsDeleted ?? 0) + 1;
      } catch (error) {
        // Listed in errors (id `version-<n>`), not in `failed`: the object itself was counted in the main pass.
        if (report.errors.length < MAX_REPORTED_ERRORS) report.errors.push({ id, code: describeFailure(error).code });
      }
    }
    if (out.IsTruncated !== true) return;
    keyMarker = out.NextKeyMarker;
    versionMarker = out.NextVersionIdMarker;
  }
}
