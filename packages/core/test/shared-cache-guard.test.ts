// review23 (session 23): envelopes sharing one DataKeyCache over the same provider share its
// sealing entries, and the PHI guard ran only when an entry was loaded. An envelope with the
// default guard then took a data key for a context that an envelope with `guard: false` (or a
// laxer allow-list) had let into the cache, and wrote messages under a context that its own
// guard refuses. Each envelope's guard must see every context it encrypts under, hit or miss.
import { randomBytes } from 'node:crypto';
import type { Transform } from 'node:stream';
import { DataKeyCache, LocalKeyProvider, createEnvelope } from '@phiseal/core';
import { describe, expect, it } from 'vitest';

const code = (p: Promise<unknown>): Promise<string> =>
  p.then(
    () => 'ACCEPTED',
    (e: { code?: string }) => e.code ?? 'UNTYPED',
  );

const PHI = { patient: 'Jane Doe' };

/** How a stream over one chunk ends: 'ACCEPTED' or the error's code. */
const streamCode = (stream: Transform): Promise<string> =>
  new Promise((resolve) => {
    stream.on('error', (e: { code?: string }) => resolve(e.code ?? 'UNTYPED'));
    stream.on('data', () => undefined);
    stream.on('end', () => resolve('ACCEPTED'));
    stream.end(Buffer.from('x'));
  });

function pair() {
  const keys = new LocalKeyProvider({ keyId: 'shared', key: randomBytes(32) });
  const cache = new DataKeyCache();
  const lax = createEnvelope({ keys, cache, guard: false });
  const strict = createEnvelope({ keys, cache });
  return { keys, cache, lax, strict };
}

describe('a DataKeyCache shared by envelopes with different guards', () => {
  it('runs the guard of an envelope whose guard has not passed a cached context', async () => {
    const { lax, strict } = pair();
    // Alone, the strict envelope refuses the context.
    expect(await code(createEnvelope({ keys: new LocalKeyProvider({ keyId: 'x', key: randomBytes(32) }) }).dataKey(PHI))).toBe('PHI_DETECTED');
    expect(await code(lax.dataKey(PHI))).toBe('ACCEPTED');
    expect(await code(lax.encrypt('x', { context: PHI }))).toBe('ACCEPTED');
    expect(await code(lax.encrypt('x', { context: PHI, format: 'compact' }))).toBe('ACCEPTED');
    // Every sealing path of the strict envelope hits those entries, and refuses.
    expect(await code(strict.dataKey(PHI))).toBe('PHI_DETECTED');
    expect(await code(strict.encrypt('x', { context: PHI }))).toBe('PHI_DETECTED');
    expect(await code(strict.encrypt('x', { context: PHI, format: 'compact' }))).toBe('PHI_DETECTED');
    expect(await code(strict.encryptToString('x', { context: PHI }))).toBe('PHI_DETECTED');
    expect(await streamCode(lax.encryptStream({ context: PHI }))).toBe('ACCEPTED');
    expect(await streamCode(strict.encryptStream({ context: PHI }))).toBe('PHI_DETECTED');
    expect(await streamCode(strict.encryptStream({ context: PHI, format: 'compact' }))).toBe('PHI_DETECTED');
    // Still refused the second time (a refusal is not remembered as a pass).
    expect(await code(strict.dataKey(PHI))).toBe('PHI_DETECTED');
  });

  it('refuses a caller that waited for another envelope\'s load of the same context', async () => {
    const { lax, strict } = pair();
    const [a, b] = await Promise.all([code(lax.dataKey(PHI)), code(strict.dataKey(PHI))]);
    expect([a, b]).toEqual(['ACCEPTED', 'PHI_DETECTED']);
  });

  it('shares clean contexts as before: one provider call, and a guard checks an entry once', async () => {
    const { keys, cache, strict } = pair();
    const seen: string[] = [];
    const recording = createEnvelope({ keys, cache, guard: { mode: 'reject', check: (value) => void seen.push(value), inspect: () => [] } });
    const context = { tenant: 'clinic-a' };
    const first = await strict.dataKey(context);
    const hit = await recording.dataKey(context);
    expect(Buffer.from(hit.key).equals(first.key)).toBe(true);
    expect(strict.stats().kmsGenerateDataKeyCalls + recording.stats().kmsGenerateDataKeyCalls).toBe(1);
    // The recording guard saw the pairs on its first hit, and not again on the next.
    expect(seen).toEqual(['tenant', 'clinic-a']);
    await recording.dataKey(context);
    await strict.dataKey(context);
    expect(seen).toEqual(['tenant', 'clinic-a']);
  });
});
