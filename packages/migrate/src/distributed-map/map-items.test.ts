import { describe, expect, it } from 'vitest';
import { batchInput, mapWork } from './map-items.js';

// Item shapes as the Step Functions ItemReaders emit them (Developer Guide, ItemReader).
const listed = { Etag: '"05704fbdccb224cb01c59005bebbad28"', Key: 'processData/images/n02085620 1073+a.jpg', LastModified: 1668699881, Size: 34910, StorageClass: 'STANDARD' };
const inventoryRow = { LastModifiedDate: '2022-11-16T00:29:32.000Z', Bucket: 'amzn-s3-demo-inventory', Key: 'csvDataset/titles+%E2%9C%93%2B.csv', Size: '3399671' };

describe('mapWork', () => {
  it('reads a ListObjectsV2 item (plain key, bucket from BatchInput)', () => {
    expect(mapWork(listed, { bucket: 'lab-results' })).toEqual({ kind: 'object', target: { bucket: 'lab-results', key: listed.Key } });
    expect(mapWork(listed, {})).toEqual({ kind: 'invalid', reason: 'bucket-not-given' });
  });

  it('reads an S3 Inventory or CSV manifest row (URL-encoded key, bucket column)', () => {
    expect(mapWork(inventoryRow, {})).toEqual({ kind: 'object', target: { bucket: 'amzn-s3-demo-inventory', key: 'csvDataset/titles ✓+.csv' } });
    expect(mapWork({ Bucket: 'b-1', Key: 'a+b', VersionId: '3HL4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY' }, {})).toEqual({
      kind: 'object',
      target: { bucket: 'b-1', key: 'a b', versionId: '3HL4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY' },
    });
    expect(mapWork({ Bucket: 'b-1', Key: 'a+b', VersionId: 'null' }, {})).toEqual({ kind: 'object', target: { bucket: 'b-1', key: 'a b' } });
    // A hand-written CSV with raw keys says so.
    expect(mapWork({ Bucket: 'b-1', Key: 'a+b' }, { keyEncoding: 'plain' })).toMatchObject({ target: { key: 'a+b' } });
    expect(mapWork({ Bucket: 'b-1', Key: 'bad%zz' }, {})).toEqual({ kind: 'invalid', reason: 'invalid-key-encoding' });
  });

  it('skips delete markers and noncurrent versions of an inventory', () => {
    expect(mapWork({ ...inventoryRow, IsDeleteMarker: 'true' }, {})).toEqual({ kind: 'skip', reason: 'delete-marker' });
    expect(mapWork({ ...inventoryRow, IsLatest: 'false' }, {})).toEqual({ kind: 'skip', reason: 'noncurrent-version' });
  });

  it('reads a DynamoDB Scan segment', () => {
    expect(mapWork({ segment: 3, totalSegments: 8 }, { table: 'patients' })).toEqual({ kind: 'segment', table: 'patients', segment: 3, totalSegments: 8 });
    // A continuation is the sealed token an earlier invocation returned; a raw key is refused.
    expect(mapWork({ segment: 0, totalSegments: 1, startKey: 'AYABeG' }, { table: 'patients' })).toMatchObject({ startKey: 'AYABeG' });
    expect(mapWork({ segment: 0, totalSegments: 1, startKey: { pk: { S: 'p-1' } } }, { table: 'patients' })).toEqual({ kind: 'invalid', reason: 'invalid-start-key' });
    for (const bad of [{ segment: 8, totalSegments: 8 }, { segment: -1, totalSegments: 8 }, { segment: 0.5, totalSegments: 8 }, { segment: 0, totalSegments: 0 }, { segment: '1', totalSegments: 2 }]) {
      expect(mapWork(bad, { table: 'patients' })).toEqual({ kind: 'invalid', reason: 'invalid-segment' });
    }
    expect(mapWork({ segment: 0, totalSegments: 1, startKey: '' }, { table: 'patients' })).toEqual({ kind: 'invalid', reason: 'invalid-start-key' });
    expect(mapWork({ segment: 0, totalSegments: 1 }, {})).toEqual({ kind: 'invalid', reason: 'table-not-given' });
  });

  it('names nothing for anything else', () => {
    for (const bad of [null, 'k', [], {}, { Key: 7 }, { Key: '' }]) expect(mapWork(bad, { bucket: 'b-1' }).kind).toBe('invalid');
  });
});

describe('batchInput', () => {
  it('keeps only documented fields of the right types', () => {
    expect(batchInput({ bucket: 'b-1', keyEncoding: 'url', table: 't-1', maxPages: 5, other: 1 })).toEqual({ bucket: 'b-1', keyEncoding: 'url', table: 't-1', maxPages: 5 });
    expect(batchInput({ bucket: 3, keyEncoding: 'base64', table: '', maxPages: 0 })).toEqual({});
    expect(batchInput(undefined)).toEqual({});
  });
});
