import type { Guard } from '@phiseal/guard';
import { invalidArgument } from './errors.js';

function nonEmpty(value: unknown, name: string): string {
  if (typeof value !== 'string' || value.length === 0) throw invalidArgument(`${name} must be a non-empty string.`);
  return value;
}

/**
 * Checks the bucket and key of any request: both appear in URLs, access logs, CloudTrail
 * and inventory reports in the clear, so they must not hold PHI.
 * @throws PhisealError `INVALID_ARGUMENT`, `PHI_DETECTED`.
 */
export function checkLocation(guard: Guard, bucket: unknown, key: unknown): { bucket: string; key: string } {
  const b = nonEmpty(bucket, 'Bucket');
  const k = nonEmpty(key, 'Key');
  guard.check(b, 's3.bucket');
  guard.check(k, 's3.key');
  return { bucket: b, key: k };
}

/**
 * Checks user metadata (stored and returned in the clear). Keys starting with `x-amz-`
 * are refused: they would collide with, or impersonate, the S3EC content metadata.
 * @throws PhisealError `INVALID_ARGUMENT`, `PHI_DETECTED`.
 */
export function checkMetadata(guard: Guard, metadata: unknown): Record<string, string> {
  if (metadata === undefined) return {};
  if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) {
    throw invalidArgument('Metadata must be an object of strings.');
  }
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(metadata)) {
    if (typeof value !== 'string') throw invalidArgument('Metadata values must be strings.');
    if (key.toLowerCase().startsWith('x-amz-')) {
      throw invalidArgument('Metadata keys starting with x-amz- are reserved for the encryption format.');
    }
    guard.check(key, 's3.metadata');
    guard.check(value, 's3.metadata');
    out[key] = value;
  }
  return out;
}

/**
 * Checks every key and value of a URL-encoded tag set (`k=v&k2=v2`).
 * @throws PhisealError `INVALID_ARGUMENT`, `PHI_DETECTED`.
 */
export function checkTagging(guard: Guard, tagging: unknown): void {
  if (tagging === undefined) return;
  if (typeof tagging !== 'string') throw invalidArgument('Tagging must be a URL-encoded string.');
  for (const [key, value] of new URLSearchParams(tagging)) {
    guard.check(key, 'tag');
    guard.check(value, 'tag');
  }
}

/** The `filename` and `filename*` parameters of a Content-Disposition header, decoded. */
export function dispositionFilenames(disposition: string): string[] {
  const names: string[] = [];
  const pattern = /filename(\*?)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;]*))/gi;
  for (const match of disposition.matchAll(pattern)) {
    const raw = (match[2] ?? match[3] ?? '').trim();
    if (match[1] === '*') {
      // RFC 5987: charset'language'percent-encoded
      const encoded = raw.replace(/^[^']*'[^']*'/, '');
      try {
        names.push(decodeURIComponent(encoded));
      } catch {
        names.push(encoded);
      }
    } else names.push(raw.replace(/\\(.)/g, '$1'));
  }
  return names;
}

/**
 * Checks the filename of a Content-Disposition header (returned in the clear on every download).
 * @throws PhisealError `INVALID_ARGUMENT`, `PHI_DETECTED`.
 */
export function checkContentDisposition(guard: Guard, disposition: unknown): void {
  if (disposition === undefined) return;
  if (typeof disposition !== 'string') throw invalidArgument('ContentDisposition must be a string.');
  // The whole header is returned in the clear, not only its filename parameters.
  guard.check(disposition, 's3.metadata');
  for (const name of dispositionFilenames(disposition)) guard.check(name, 's3.key');
}

/**
 * Checks a plain header S3 stores with the object and returns on every read (Content-Type, Cache-Control).
 * @throws PhisealError `INVALID_ARGUMENT`, `PHI_DETECTED`.
 */
export function checkHeader(guard: Guard, value: unknown, name: string): void {
  if (value === undefined) return;
  if (typeof value !== 'string') throw invalidArgument(`${name} must be a string.`);
  guard.check(value, 's3.metadata');
}
