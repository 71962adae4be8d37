import { describe, expect, it } from 'vitest';
import { carriedSettings } from './carried-settings.js';

describe('carriedSettings', () => {
  it('copies the named headers that are set, and only those', () => {
    const fields = carriedSettings({ $metadata: {}, ContentType: 'text/plain', ContentLanguage: 'en', CacheControl: '' }, ['ContentType', 'CacheControl']);
    expect(fields).toEqual({ ContentType: 'text/plain' });
  });

  it('keeps a retention that still binds and drops one whose date has passed', () => {
    const future = new Date(Date.now() + 86_400_000);
    expect(carriedSettings({ $metadata: {}, ObjectLockMode: 'GOVERNANCE', ObjectLockRetainUntilDate: future, ObjectLockLegalHoldStatus: 'ON' }, ['ObjectLockMode', 'ObjectLockRetainUntilDate', 'ObjectLockLegalHoldStatus']))
      .toEqual({ ObjectLockMode: 'GOVERNANCE', ObjectLockRetainUntilDate: future, ObjectLockLegalHoldStatus: 'ON' });
    const past = new Date(Date.now() - 1000);
    expect(carriedSettings({ $metadata: {}, ObjectLockMode: 'COMPLIANCE', ObjectLockRetainUntilDate: past, ObjectLockLegalHoldStatus: 'ON' }, ['ObjectLockMode', 'ObjectLockRetainUntilDate', 'ObjectLockLegalHoldStatus']))
      .toEqual({ ObjectLockLegalHoldStatus: 'ON' });
  });

  it('carries the storage class and the checksum algorithm whatever headers are named', () => {
    expect(carriedSettings({ $metadata: {}, StorageClass: 'STANDARD_IA', ChecksumCRC32C: 'AAAAAA==' }, [])).toEqual({ StorageClass: 'STANDARD_IA', ChecksumAlgorithm: 'CRC32C' });
    expect(carriedSettings({ $metadata: {}, ChecksumSHA256: 'x' }, [])).toEqual({ ChecksumAlgorithm: 'SHA256' });
    expect(carriedSettings({ $metadata: {} }, ['ContentType'])).toEqual({});
  });
});
