import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { createGuard } from '@phiseal/guard';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DataKeyCache } from './data-key-cache.js';
import { createEnvelope } from './envelope.js';
import type { EncryptionContext } from './key-provider.js';
import { LocalKeyProvider } from './local-key-provider.js';

// An outside review of the data-key MISS path after its speed work (issue #14): single flight
// without an eager promise, one context serialization per miss handed to the frozen copy,
// sorted keys remembered per key set, copies built by stores instead of a spread. Whatever the
// shortcut, a data key must stay bound (by the provider's AAD, not only by a cache key) to
// exactly the pairs it was asked for, hostile key names included. Binding is checked with a
// second envelope without a cache over the same key, so only the provider can answer.

const hostileJson = [
  '{"__proto__":"p","tenant":"t"}',
  '{"constructor":"c"}',
  '{"toString":"s","valueOf":"v","hasOwnProperty":"h"}',
  '{"10":"a","9":"b","x":"c"}',
  '{"__proto__":"","__defineGetter__":"g","isPrototypeOf":"i"}',
];
const parse = (json: string): EncryptionContext => JSON.parse(json) as EncryptionContext;

function pair() {
  const keys = new LocalKeyProvider({ keyId: 'review', key: randomBytes(32) });
  const generate = vi.spyOn(keys, 'generate');
  const unwrap = vi.spyOn(keys, 'unwrap');
  // The checker: the same key, no cache, so every answer is the provider's.
  const checker = createEnvelope({ keys, cache: false });
  return { envelope: createEnvelope({ keys, cache: new DataKeyCache() }), checker, generate, unwrap };
}

const same = (a: Uint8Array, b: Uint8Array): boolean => Buffer.from(a).equals(Buffer.from(b));
const codeOf = (p: Promise<unknown>): Promise<string> => p.then(() => 'ok', (e: { code?: string }) => e.code ?? 'untyped');

afterEach(() => vi.restoreAllMocks());

describe('data-key miss path: single flight', () => {
  it('shares one provider call among concurrent identical misses (any key order, any object), none among different contexts', async () => {
    const { envelope, generate, unwrap } = pair();
    const forms = Array.from({ length: 12 }, (_, i) => (i % 2 === 0 ? { tenant: 'a', site: 'b' } : { site: 'b', tenant: 'a' }));
    const keys = await Promise.all(forms.map((c) => envelope.dataKey(c)));
    expect(generate).toHaveBeenCalledTimes(1);
    for (const k of keys) expect(same(k.key, keys[0]!.key)).toBe(true);

    const distinct = await Promise.all(Array.from({ length: 12 }, (_, i) => envelope.dataKey({ tenant: 'a', site: `s${i}` })));
    expect(generate).toHaveBeenCalledTimes(13);
    expect(new Set(distinct.map((k) => Buffer.from(k.key).toString('hex'))).size).toBe(12);

    // Unwraps of data keys this envelope did not seed: one provider call per distinct pair.
    const fresh = pair();
    const made = await fresh.checker.dataKey({ tenant: 'u' });
    const unwrapped = await Promise.all(Array.from({ length: 8 }, () => fresh.envelope.unwrapDataKey(made.wrappedKeys, { tenant: 'u' })));
    expect(fresh.unwrap).toHaveBeenCalledTimes(1);
    for (const k of unwrapped) expect(same(k, made.key)).toBe(true);
    expect(unwrap).toHaveBeenCalledTimes(0);
  });

  it('shares a failure among the waiters and keeps nothing: the next call asks the provider again', async () => {
    const { envelope, generate } = pair();
    generate.mockImplementationOnce(() => Promise.reject(new Error('provider down (injected: the emulator cannot fail a local key)')));
    const codes = await Promise.all(Array.from({ length: 5 }, () => codeOf(envelope.dataKey({ tenant: 'f' }))));
    expect(codes.every((c) => c !== 'ok')).toBe(true);
    expect(generate).toHaveBeenCalledTimes(1);
    await expect(envelope.dataKey({ tenant: 'f' })).resolves.toBeDefined();
    expect(generate).toHaveBeenCalledTimes(2);
  });
});

describe('data-key miss path: the provider binds exactly the pairs asked for', () => {
  it('binds hostile key names ("__proto__", "constructor", integer-like) as own pairs, in dataKey and unwrapDataKey', async () => {
    const { envelope, checker } = pair();
    for (const json of hostileJson) {
      const context = parse(json);
      const made = await envelope.dataKey(context);
      // A fresh parse (another object, same pairs) unwraps it, through the cache and through the provider.
      expect(same(await envelope.unwrapDataKey(made.wrappedKeys, parse(json)), made.key)).toBe(true);
      expect(same(await checker.unwrapDataKey(made.wrappedKeys, parse(json)), made.key)).toBe(true);
      // One pair fewer, or one value changed: refused by the provider and by the cached envelope.
      const keys = Object.keys(context);
      const fewer = parse(json) as Record<string, string>;
      delete fewer[keys[0]!];
      const changed = parse(json) as Record<string, string>;
      Object.defineProperty(changed, keys[0]!, { value: `${context[keys[0]!]!}x`, enumerable: true, writable: true, configurable: true });
      for (const wrong of [fewer, changed]) {
        expect(await codeOf(checker.unwrapDataKey(made.wrappedKeys, wrong))).toBe('DECRYPTION_FAILED');
        expect(await codeOf(envelope.unwrapDataKey(made.wrappedKeys, wrong))).toBe('DECRYPTION_FAILED');
      }
      const sealed = await envelope.encrypt('x', { context: parse(json) });
      const opened = await checker.decrypt(sealed);
      expect(Object.entries(opened.context)).toEqual(expect.arrayContaining(Object.entries(parse(json))));
    }
    expect(Object.getPrototypeOf({})).toBe(Object.prototype);
    expect(({} as Record<string, unknown>)['p']).toBeUndefined();
  });

  it('never lets two different contexts share a data key or unwrap each other (property, incl. separator-like text)', async () => {
    const { envelope, checker } = pair();
    const text = fc.string({ unit: fc.constantFrom('a', 'b', '\u0000', '\u0001', '\u0002', 'é', '\u{1F600}'), maxLength: 4 });
    const context = fc.dictionary(text.filter((k) => k.length > 0), text, { maxKeys: 3 });
    await fc.assert(
      fc.asyncProperty(context, context, async (a, b) => {
        const [ka, kb] = await Promise.all([envelope.dataKey(a), envelope.dataKey(b)]);
        const samePairs = JSON.stringify(Object.entries(a).sort()) === JSON.stringify(Object.entries(b).sort());
        expect(same(ka.key, kb.key)).toBe(samePairs);
        if (samePairs) return;
        expect(await codeOf(checker.unwrapDataKey(ka.wrappedKeys, b))).toBe('DECRYPTION_FAILED');
        expect(await codeOf(envelope.unwrapDataKey(ka.wrappedKeys, b))).toBe('DECRYPTION_FAILED');
        expect(same(await checker.unwrapDataKey(kb.wrappedKeys, b), kb.key)).toBe(true);
      }),
      { numRuns: 150 },
    );
  });

  it('keeps each miss of one key set (remembered sort) bound to its own values, interleaved and concurrent', async () => {
    const { envelope, checker } = pair();
    const contexts = Array.from({ length: 40 }, (_, i) =>
      i % 3 === 0 ? { 'aws-crypto-a': `v${i}`, 'aws-crypto-b': 'x' } : i % 3 === 1 ? { 'aws-crypto-b': 'x', 'aws-crypto-a': `v${i}` } : { 'aws-crypto-a': `v${i}`, z: 'é' },
    );
    const made = await Promise.all(contexts.map((c) => envelope.dataKey(c)));
    await Promise.all(
      made.map(async (k, i) => {
        expect(same(await checker.unwrapDataKey(k.wrappedKeys, contexts[i]!), k.key)).toBe(true);
        expect(await codeOf(checker.unwrapDataKey(k.wrappedKeys, contexts[(i + 3) % 40]!))).toBe('DECRYPTION_FAILED');
      }),
    );
  });

  it('binds the pairs as they were at the call, whatever the caller does to its object afterwards', async () => {
    const { envelope, checker } = pair();
    const context: Record<string, string> = { tenant: 'before' };
    const pending = envelope.dataKey(context);
    context['tenant'] = 'after';
    context['added'] = 'late';
    const made = await pending;
    expect(same(await checker.unwrapDataKey(made.wrappedKeys, { tenant: 'before' }), made.key)).toBe(true);
    expect(await codeOf(checker.unwrapDataKey(made.wrappedKeys, { tenant: 'after', added: 'late' }))).toBe('DECRYPTION_FAILED');
  });
});

describe('data-key cache shared by envelopes with different guard policies', () => {
  it('a laxer allow-list does not let a context past a stricter envelope, and a warn-mode guard is told on its first hit', async () => {
    const keys = new LocalKeyProvider({ keyId: 'review', key: randomBytes(32) });
    const cache = new DataKeyCache();
    const phi = { patient: 'Jane Doe', ssn: '123-45-6789' };
    const lax = createEnvelope({ keys, cache, guard: createGuard({ allow: ['Jane Doe', '123-45-6789'] }) });
    const strict = createEnvelope({ keys, cache });
    const warned: string[] = [];
    const warn = createEnvelope({ keys, cache, guard: createGuard({ mode: 'warn', onFinding: (f) => void warned.push(f.kind) }) });
    expect(await codeOf(lax.dataKey(phi))).toBe('ok');
    expect(await codeOf(lax.encrypt('x', { context: phi }))).toBe('ok');
    expect(await codeOf(strict.dataKey(phi))).toBe('PHI_DETECTED');
    expect(await codeOf(strict.encrypt('x', { context: phi, format: 'compact' }))).toBe('PHI_DETECTED');
    expect(await codeOf(warn.dataKey(phi))).toBe('ok');
    expect(warned.length).toBeGreaterThan(0);
  });
});
