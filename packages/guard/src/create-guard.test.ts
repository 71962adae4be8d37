import { describe, expect, it } from 'vitest';
import { createGuard, PhisealError, type GuardEvent } from './index.js';

function codeOf(fn: () => void): string | undefined {
  try {
    fn();
  } catch (error) {
    return PhisealError.is(error) ? error.code : 'not-a-phiseal-error';
  }
  return undefined;
}

describe('createGuard', () => {
  it('passes everyday infrastructure strings with the default policy', () => {
    const guard = createGuard();
    const context: [string, string][] = [
      ['tenant', 'clinic-a'],
      ['purpose', 'lab-results'],
      ['table', 'patients'],
      ['aws:x-amz-cek-alg', '115'],
      ['service', 'records'],
      ['aws-crypto-public-key', 'A0xGm5l2c3VwZXJzZWNyZXQ='],
    ];
    for (const [k, v] of context) {
      expect(codeOf(() => guard.check(k, 'encryptionContext'))).toBeUndefined();
      expect(codeOf(() => guard.check(v, 'encryptionContext'))).toBeUndefined();
    }
    expect(codeOf(() => guard.check('uploads/2024/11/03/3f2b8c1e-4a5d-4e6f-8a7b-9c0d1e2f3a4b.pdf', 's3.key'))).toBeUndefined();
  });

  it('rejects PHI with PHI_DETECTED naming kind and surface but not the value', () => {
    const guard = createGuard();
    try {
      guard.check('ssn-123-45-6789', 's3.key');
      expect.unreachable();
    } catch (error) {
      expect(PhisealError.is(error)).toBe(true);
      const e = error as PhisealError;
      expect(e.code).toBe('PHI_DETECTED');
      expect(e.details.kind).toBe('ssn');
      expect(e.details.where).toBe('s3.key');
      expect(JSON.stringify(e.details)).not.toContain('6789');
      expect(e.message).not.toContain('6789');
    }
  });

  it('warn mode reports through onFinding without throwing', () => {
    const events: GuardEvent[] = [];
    const guard = createGuard({ mode: 'warn', onFinding: (e) => events.push(e) });
    guard.check('jane.doe@example.com', 'tag');
    expect(events).toEqual([{ kind: 'email', where: 'tag', start: 0, end: 20, action: 'warned' }]);
    expect(guard.mode).toBe('warn');
  });

  it('off mode checks nothing', () => {
    const guard = createGuard({ mode: 'off' });
    expect(codeOf(() => guard.check('123-45-6789', 'tag'))).toBeUndefined();
    expect(guard.inspect('123-45-6789', 'tag')).toEqual([]);
  });

  it('allow list exempts whole values; deny list flags custom patterns', () => {
    const guard = createGuard({ allow: ['123-45-6789', /^test-\d+$/], deny: ['secret-project', /zz\d{3}/] });
    expect(codeOf(() => guard.check('123-45-6789', 'tag'))).toBeUndefined();
    expect(codeOf(() => guard.check('prefix-123-45-6789', 'tag'))).toBe('PHI_DETECTED');
    expect(guard.inspect('the-secret-project', 'tag')).toEqual([{ kind: 'custom', start: 4, end: 18 }]);
    expect(guard.inspect('a-zz123', 'tag')).toEqual([{ kind: 'custom', start: 2, end: 7 }]);
  });

  it('per-kind switches silence a kind', () => {
    const guard = createGuard({ kinds: { email: false } });
    expect(guard.inspect('jane.doe@example.com', 'tag')).toEqual([]);
    expect(guard.inspect('123-45-6789', 'tag')).toHaveLength(1);
  });

  it('refuses a malformed policy with INVALID_CONFIGURATION', () => {
    expect(codeOf(() => createGuard({ mode: 'loud' as 'warn' }))).toBe('INVALID_CONFIGURATION');
    expect(codeOf(() => createGuard({ allow: [3 as unknown as string] }))).toBe('INVALID_CONFIGURATION');
  });
});
