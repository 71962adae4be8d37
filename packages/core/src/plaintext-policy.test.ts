import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { AuditEvent } from './audit.js';
import { createEnvelope } from './envelope.js';
import { LocalKeyProvider } from './local-key-provider.js';
import { PhisealError } from '@phiseal/guard';
import { admitPlaintext, resolvePlaintextPolicy } from './plaintext-policy.js';

describe('resolvePlaintextPolicy', () => {
  it('defaults to encrypted-only, resolves read-both, refuses anything else', () => {
    expect(resolvePlaintextPolicy(undefined)).toBe('encrypted-only');
    expect(resolvePlaintextPolicy('read-both')).toBe('write-encrypted');
    for (const s of ['write-plaintext', 'write-encrypted', 'encrypted-only'] as const) expect(resolvePlaintextPolicy(s)).toBe(s);
    for (const bad of ['', 'plaintext', 'ENCRYPTED-ONLY', null, 1, {}]) {
      expect(() => resolvePlaintextPolicy(bad)).toThrow(expect.objectContaining({ code: 'INVALID_CONFIGURATION' }) as Error);
    }
  });
});

describe('admitPlaintext', () => {
  it('emits one value-free event per read; refuses under encrypted-only', () => {
    const events: AuditEvent[] = [];
    const envelope = createEnvelope({ keys: new LocalKeyProvider({ keyId: 'k', key: randomBytes(32) }), audit: (e) => events.push(e) });
    const read = { kind: 's3.object', operation: 's3.plaintextRead', context: { 'phiseal:s3-bucket': 'records-bucket' } };
    admitPlaintext(envelope, { ...read, stage: 'write-encrypted' });
    admitPlaintext(envelope, { ...read, stage: 'write-plaintext' });
    let error: unknown;
    try {
      admitPlaintext(envelope, { ...read, stage: 'encrypted-only' });
    } catch (e) {
      error = e;
    }
    expect(PhisealError.is(error) && error.code).toBe('PLAINTEXT_REFUSED');
    expect(PhisealError.is(error) && error.retryable).toBe(false);
    expect(events.map((e) => [e.operation, e.outcome, e.plaintextPolicy, e.errorCode])).toEqual([
      ['s3.plaintextRead', 'success', 'write-encrypted', undefined],
      ['s3.plaintextRead', 'success', 'write-plaintext', undefined],
      ['s3.plaintextRead', 'failure', 'encrypted-only', 'PLAINTEXT_REFUSED'],
    ]);
    expect(JSON.stringify(events)).not.toContain('records-bucket');
    envelope.destroy();
  });
});
