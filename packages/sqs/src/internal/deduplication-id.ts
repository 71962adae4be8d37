// FIFO deduplication without content-based deduplication: SQS would hash the ciphertext,
// which is different on every send, so retries would never be recognised. Instead the id
// is HMAC-SHA256 over a domain label and the plaintext body, keyed by a secret every
// producer shares. Keyed, because the id is visible to anyone who can read the queue and
// an unkeyed hash of a short body (a lab value, a yes/no) can be confirmed by guessing.
import { createHmac } from 'node:crypto';

const DOMAIN = 'phiseal-sqs-dedup-v1\u0000';

/** Smallest accepted key. */
export const MIN_DEDUP_KEY_BYTES = 32;

/**
 * The deduplication id of `body`: base64url of HMAC-SHA256(key, domain || body), 43
 * characters (SQS allows 128 of alphanumerics and punctuation).
 */
export function deduplicationId(key: Uint8Array, body: Uint8Array): string {
  return createHmac('sha256', key).update(DOMAIN, 'utf8').update(body).digest('base64url');
}
