import { DeleteObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { MAX_REPORTED_ERRORS, type MigrationReport } from '../types.js';
import { describeFailure } from './failure.js';

/**
 * What a rotation does with the versions it replaces in a versioned bucket: each keeps the old
 * wrapping, so it is counted (`oldKeyVersions`) and, only when asked, deleted at once
 * (`oldKeyVersionsDeleted`): exactly the version that was read and replaced, never another.
 * A version that cannot be deleted (object lock, a denied request) is listed in `errors` as
 * `version-<n>` (not in `failed`: the object itself was rotated). Never throws.
 */
export function replacedVersions(client: S3Client, bucket: string, remove: boolean, report: MigrationReport): (key: string, versionId: string) => Promise<void> {
  let n = 0;
  return async (key, versionId) => {
    report.oldKeyVersions = (report.oldKeyVersions ?? 0) + 1;
    if (!remove) return;
    const id = `version-${n++}`;
    try {
      await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key, VersionId: versionId }));
      report.oldKeyVersionsDeleted = (report.oldKeyVersionsDeleted ?? 0) + 1;
    } catch (error) {
      if (report.errors.length < MAX_REPORTED_ERRORS) report.errors.push({ id, code: describeFailure(error).code });
      else report.errorsOmitted = (report.errorsOmitted ?? 0) + 1;
    }
  };
}
