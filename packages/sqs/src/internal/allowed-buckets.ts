import { bucketMatcher } from '@phiseal/s3';

/** The payload buckets whose pointers are followed. */
export type AllowedBuckets = {
  /** Whether `bucket` (any form S3 accepts) names an accepted bucket. */
  accepts(bucket: string): boolean;
};

/**
 * An allow-list matched by every name S3 accepts for a bucket (issue 11): a pointer naming an
 * access point ARN or alias that is not itself listed is refused, since it may front any
 * bucket; it is never taken for an unlisted (or a listed) bucket.
 * @throws PhisealError `INVALID_CONFIGURATION` for an entry that is no bucket name or access point ARN.
 */
export function allowedBuckets(keys: readonly string[]): AllowedBuckets {
  const matcher = bucketMatcher(keys);
  return {
    accepts(bucket) {
      try {
        return matcher.find(bucket) !== undefined;
      } catch {
        return false;
      }
    },
  };
}
