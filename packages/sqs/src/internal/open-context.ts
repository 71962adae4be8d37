import type { S3Client } from '@aws-sdk/client-s3';
import { resolvePlaintextPolicy, secureClient, type Envelope } from '@phiseal/core';
import { encryptedS3, type EncryptedS3 } from '@phiseal/s3';
import { invalidConfiguration } from './errors.js';
import type { OpenContext } from './queue-context.js';
import { isList } from './is-list.js';
import { sealedNames } from './sealed-binding.js';
import { allowedBuckets as allowList, type AllowedBuckets } from './allowed-buckets.js';

// One @phiseal/s3 view per (S3 client, envelope): decryptRecord runs once per Lambda
// record, and building the view (middleware, checks) each time would be waste.
const views = new WeakMap<S3Client, WeakMap<Envelope, EncryptedS3>>();

function payloadView(s3: S3Client, envelope: Envelope): EncryptedS3 {
  let byEnvelope = views.get(s3);
  if (!byEnvelope) views.set(s3, (byEnvelope = new WeakMap()));
  let view = byEnvelope.get(envelope);
  if (!view) byEnvelope.set(envelope, (view = encryptedS3({ client: s3, envelope })));
  return view;
}

/**
 * Validates what opening messages needs and applies the transport rule to the S3 client.
 * @throws PhisealError `INVALID_CONFIGURATION`, `INSECURE_ENDPOINT`, `PHI_DETECTED` (bucket names).
 */
export function createOpenContext(options: {
  envelope: unknown;
  s3: unknown;
  allowedBuckets: readonly string[] | undefined;
  acceptUnencrypted: unknown;
  plaintextPolicy?: unknown;
  encryptedAttributes?: unknown;
}): OpenContext {
  const envelope = options.envelope as Envelope | undefined;
  if (!envelope || typeof envelope.decrypt !== 'function' || typeof envelope.dataKey !== 'function') {
    throw invalidConfiguration('An envelope from createEnvelope() is required.');
  }
  const s3 = options.s3 as S3Client | undefined;
  if (!s3 || typeof s3.send !== 'function') throw invalidConfiguration('An S3Client is required in `s3`.');
  if (options.acceptUnencrypted !== undefined && typeof options.acceptUnencrypted !== 'boolean') {
    throw invalidConfiguration('acceptUnencrypted must be a boolean.');
  }
  // acceptUnencrypted: true is the older spelling of 'write-encrypted' (read both, write encrypted).
  const plaintextPolicy = resolvePlaintextPolicy(options.plaintextPolicy ?? (options.acceptUnencrypted === true ? 'write-encrypted' : undefined));
  if (options.acceptUnencrypted === true && plaintextPolicy === 'encrypted-only') {
    throw invalidConfiguration("acceptUnencrypted: true contradicts plaintextPolicy: 'encrypted-only'.");
  }
  let allowedBuckets: AllowedBuckets | undefined;
  if (options.allowedBuckets !== undefined) {
    if (!isList(options.allowedBuckets) || options.allowedBuckets.some((b) => typeof b !== 'string' || b.length === 0)) {
      throw invalidConfiguration('Payload buckets must be non-empty strings.');
    }
    for (const bucket of options.allowedBuckets) envelope.guard.check(bucket, 's3.bucket');
    allowedBuckets = allowList(options.allowedBuckets);
  }
  const ready = secureClient(s3, 's3');
  return {
    envelope,
    s3,
    payloads: payloadView(s3, envelope),
    allowedBuckets,
    plaintextPolicy,
    sealedNames: sealedNames(options.encryptedAttributes),
    ready,
  };
}
