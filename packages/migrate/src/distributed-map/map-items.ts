// Turns one Distributed Map item into the work it names, checking every field: items come
// from listings, manifests and inventory files, all of which are data, not instructions.
import { decodeManifestKey } from '../fan-out/decode-manifest-key.js';
import type { ObjectTarget } from '../fan-out/object-unit.js';
import type { MapBatchInput } from './map-event.js';

/** The work one item names, or why it names none. */
export type MapWork =
  | { readonly kind: 'object'; readonly target: ObjectTarget }
  | { readonly kind: 'segment'; readonly table: string; readonly segment: number; readonly totalSegments: number; readonly startKey?: string }
  | { readonly kind: 'skip'; readonly reason: string }
  | { readonly kind: 'invalid'; readonly reason: string };

const invalid = (reason: string): MapWork => ({ kind: 'invalid', reason });

function text(record: Record<string, unknown>, name: string): string | undefined {
  const value = record[name];
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

function objectWork(record: Record<string, unknown>, input: MapBatchInput): MapWork {
  const rawKey = text(record, 'Key');
  if (rawKey === undefined) return invalid('invalid-key');
  const listedBucket = text(record, 'Bucket');
  // ListObjectsV2 items have no Bucket column: the workflow names the listed bucket.
  const bucket = listedBucket ?? input.bucket;
  if (bucket === undefined) return invalid('bucket-not-given');
  // Inventory rows: a delete marker or an older version is not the object to encrypt.
  if (text(record, 'IsDeleteMarker')?.toLowerCase() === 'true') return { kind: 'skip', reason: 'delete-marker' };
  if (text(record, 'IsLatest')?.toLowerCase() === 'false') return { kind: 'skip', reason: 'noncurrent-version' };
  const encoding = input.keyEncoding ?? (listedBucket === undefined ? 'plain' : 'url');
  const key = encoding === 'url' ? decodeManifestKey(rawKey) : rawKey;
  if (key === undefined) return invalid('invalid-key-encoding');
  const versionId = text(record, 'VersionId');
  // S3 Inventory writes "null" for objects stored before versioning was enabled: no version to pin.
  return { kind: 'object', target: versionId === undefined || versionId === 'null' ? { bucket, key } : { bucket, key, versionId } };
}

function segmentWork(record: Record<string, unknown>, input: MapBatchInput): MapWork {
  const { segment, totalSegments, startKey } = record;
  if (input.table === undefined) return invalid('table-not-given');
  if (!Number.isInteger(totalSegments) || (totalSegments as number) < 1 || (totalSegments as number) > 1_000_000) return invalid('invalid-segment');
  if (!Number.isInteger(segment) || (segment as number) < 0 || (segment as number) >= (totalSegments as number)) return invalid('invalid-segment');
  // A continuation is the sealed token a previous invocation returned, never a raw key.
  if (startKey !== undefined && (typeof startKey !== 'string' || startKey.length === 0)) return invalid('invalid-start-key');
  const base = { kind: 'segment' as const, table: input.table, segment: segment as number, totalSegments: totalSegments as number };
  return startKey === undefined ? base : { ...base, startKey: startKey };
}

/**
 * The work a Distributed Map item names: an S3 object (ListObjectsV2 item, S3 Inventory
 * row, CSV manifest row) or a DynamoDB Scan segment.
 * @throws never
 * @example
 * ```ts
 * mapWork({ Bucket: 'lab-results', Key: 'scans/chest+x-ray.dcm', Size: '65536' }, {});
 * // { kind: 'object', target: { bucket: 'lab-results', key: 'scans/chest x-ray.dcm' } }
 * ```
 */
export function mapWork(item: unknown, input: MapBatchInput): MapWork {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) return invalid('unrecognized-item');
  const record = item as Record<string, unknown>;
  if ('Key' in record) return objectWork(record, input);
  if ('segment' in record || 'totalSegments' in record) return segmentWork(record, input);
  return invalid('unrecognized-item');
}

/**
 * Reads the BatchInput, keeping only fields of the documented types.
 * @throws never
 * @example
 * ```ts
 * batchInput({ bucket: 'lab-results', extra: 1 }); // { bucket: 'lab-results' }
 * ```
 */
export function batchInput(value: unknown): MapBatchInput {
  if (typeof value !== 'object' || value === null) return {};
  const raw = value as Record<string, unknown>;
  const out: { -readonly [K in keyof MapBatchInput]: MapBatchInput[K] } = {};
  if (typeof raw['bucket'] === 'string' && raw['bucket'].length > 0) out.bucket = raw['bucket'];
  if (raw['keyEncoding'] === 'url' || raw['keyEncoding'] === 'plain') out.keyEncoding = raw['keyEncoding'];
  if (typeof raw['table'] === 'string' && raw['table'].length > 0) out.table = raw['table'];
  if (Number.isInteger(raw['maxPages']) && (raw['maxPages'] as number) > 0) out.maxPages = raw['maxPages'] as number;
  return out;
}
