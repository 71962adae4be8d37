// S3 accepts a bucket under several names: its name, an access point ARN or alias, an S3 on
// Outposts access point ARN, a Multi-Region Access Point ARN, an Object Lambda access point
// ARN. A per-bucket configuration or allow-list keyed by one string must recognise every
// form and fail closed (issue 11): a form that cannot be resolved to a configured entry
// without asking AWS (an access point fronts a bucket we cannot see) is refused, never
// treated as "not configured".
import { PhisealError } from '@phiseal/core';

/**
 * What a `Bucket` parameter names. ARN forms carry their canonical ARN in `key`.
 *
 * @example
 * ```ts
 * import { parseBucketReference, type BucketReference } from '@phiseal/s3';
 * const reference: BucketReference = parseBucketReference('arn:aws:s3:us-east-1:111122223333:accesspoint/lab');
 * if (reference.kind === 'access-point') console.log(reference.account, reference.name); // '111122223333' 'lab'
 * const plain: BucketReference = { kind: 'bucket', key: 'lab-results', bucket: 'lab-results' };
 * ```
 */
export type BucketReference =
  | { readonly kind: 'bucket'; readonly key: string; readonly bucket: string }
  | { readonly kind: 'access-point-alias'; readonly key: string }
  | {
      readonly kind: 'access-point' | 'object-lambda-access-point' | 'outposts-access-point' | 'multi-region-access-point';
      readonly key: string;
      readonly partition: string;
      readonly region: string;
      readonly account: string;
      readonly name: string;
    };

// Bucket names: 3-63 of a-z 0-9 . - (legacy us-east-1 buckets may hold upper case and _).
const BUCKET = /^[A-Za-z0-9][A-Za-z0-9._-]{1,253}[A-Za-z0-9]$/;
// Suffixes AWS reserves for aliases, never a bucket's own name (S3 bucket naming rules).
const ALIAS_SUFFIXES = ['-s3alias', '--ol-s3', '--op-s3'];
const ARN = /^arn:([a-z][a-z0-9-]{0,62}):(s3|s3-object-lambda|s3-outposts):([a-z0-9-]{0,64}):(\d{12}):(.+)$/;
const NAME = /^[a-z0-9][a-z0-9.-]{0,62}$/;

function unresolvable(reason: string): PhisealError {
  return new PhisealError('UNSUPPORTED_OPERATION', 'The bucket is named in a form phiseal cannot resolve against its configuration.', {
    details: { reason: 'bucket-reference-unresolved', form: reason },
  });
}

function parseArn(value: string): BucketReference {
  const m = ARN.exec(value);
  if (!m) throw unresolvable('unparsable ARN');
  const [, partition, service, region, account, resource] = m as unknown as [string, string, string, string, string, string];
  // Access points accept both `accesspoint/name` and `accesspoint:name` (the SDK's ARN parser).
  const parts = resource.split(/[/:]/);
  const arn = (kind: string, name: string): string => `arn:${partition}:${service}:${region}:${account}:${kind}/${name}`;
  if (service === 's3' && parts.length === 2 && parts[0] === 'accesspoint' && NAME.test(parts[1]!)) {
    const name = parts[1]!;
    // A Multi-Region Access Point ARN has no region: arn:aws:s3::<account>:accesspoint/<alias>.mrap
    const kind = region === '' ? 'multi-region-access-point' : 'access-point';
    return { kind, key: arn('accesspoint', name), partition, region, account, name };
  }
  if (service === 's3-object-lambda' && parts.length === 2 && parts[0] === 'accesspoint' && region !== '' && NAME.test(parts[1]!)) {
    return { kind: 'object-lambda-access-point', key: arn('accesspoint', parts[1]!), partition, region, account, name: parts[1]! };
  }
  if (service === 's3-outposts' && parts.length === 4 && parts[0] === 'outpost' && parts[2] === 'accesspoint' && region !== '') {
    const name = `${parts[1]!}/accesspoint/${parts[3]!}`;
    return { kind: 'outposts-access-point', key: arn('outpost', name), partition, region, account, name };
  }
  throw unresolvable('unsupported ARN resource');
}

/**
 * Parses what a `Bucket` parameter names.
 * @example
 * ```ts
 * parseBucketReference('arn:aws:s3:us-east-1:111122223333:accesspoint:lab'); // { kind: 'access-point', key: 'arn:aws:s3:us-east-1:111122223333:accesspoint/lab', ... }
 * ```
 * @throws {@link PhisealError} `UNSUPPORTED_OPERATION` for an ARN (or other form) that is not a known S3 data-plane name.
 */
export function parseBucketReference(value: string): BucketReference {
  if (/^\s*arn:/i.test(value)) return parseArn(value);
  if (!BUCKET.test(value) || value.includes('..')) throw unresolvable('not a bucket name');
  if (ALIAS_SUFFIXES.some((suffix) => value.endsWith(suffix))) return { kind: 'access-point-alias', key: value };
  return { kind: 'bucket', key: value, bucket: value };
}

/**
 * Looks configured buckets up by any name S3 accepts for them.
 *
 * @example
 * ```ts
 * import { bucketMatcher, type BucketMatcher } from '@phiseal/s3';
 * const buckets: BucketMatcher = bucketMatcher(['lab-results']);
 * buckets.find('lab-results');  // 'lab-results'
 * buckets.find('other-bucket'); // undefined: not configured, passed through
 * ```
 */
export type BucketMatcher = {
  /**
   * The configuration key `reference` names, or `undefined` when it names no configured
   * bucket and cannot front one.
   * @throws {@link PhisealError} `UNSUPPORTED_OPERATION` when the reference is an access point
   * (ARN or alias) or an unparsable form that is not itself configured: it may front a
   * configured bucket, so it is refused rather than passed through.
   */
  find(reference: unknown): string | undefined;
};

/**
 * Builds a matcher over configuration keys (bucket names or access point ARNs, any spelling).
 * @example
 * ```ts
 * const buckets = bucketMatcher(['lab-results', 'arn:aws:s3:us-east-1:111122223333:accesspoint/lab']);
 * buckets.find('arn:aws:s3:us-east-1:111122223333:accesspoint:lab'); // 'arn:aws:s3:us-east-1:111122223333:accesspoint/lab'
 * buckets.find('other-bucket');                                       // undefined
 * buckets.find('arn:aws:s3:us-east-1:111122223333:accesspoint/x');    // throws UNSUPPORTED_OPERATION
 * ```
 * @throws {@link PhisealError} `INVALID_CONFIGURATION` for a key that is no S3 bucket name or access point ARN.
 */
export function bucketMatcher(keys: Iterable<string>): BucketMatcher {
  const byKey = new Map<string, string>();
  for (const key of keys) {
    let parsed: BucketReference;
    try {
      parsed = parseBucketReference(key);
    } catch {
      throw new PhisealError('INVALID_CONFIGURATION', 'A configured bucket is neither a bucket name nor an S3 access point ARN.');
    }
    byKey.set(parsed.key, key);
  }
  return {
    find(reference) {
      if (typeof reference !== 'string' || byKey.size === 0) return undefined;
      const parsed = parseBucketReference(reference);
      const configured = byKey.get(parsed.key);
      if (configured !== undefined) return configured;
      if (parsed.kind === 'bucket') return undefined;
      throw unresolvable(parsed.kind);
    },
  };
}
