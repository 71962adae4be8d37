// Every stream start, compact or ESDK, encrypting or decrypting, leaves one audit event (the
// same trail as encrypt/decrypt): success with the wrapping key's id and the message's context
// keys, failure with the error code; never a context value or plaintext.
import { randomBytes } from 'node:crypto';
import { Readable, Writable, type Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import type { AuditEvent } from './audit.js';
import { createEnvelope } from './envelope.js';
import { LocalKeyProvider } from './local-key-provider.js';

async function through(transform: Transform, data: Buffer): Promise<Buffer> {
  const out: Buffer[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      out.push(chunk);
      done();
    },
  });
  await pipeline(Readable.from([data]), transform, sink);
  return Buffer.concat(out);
}

describe('stream audit events', () => {
  for (const format of ['compact', 'esdk'] as const) {
    it(`${format}: encryptStream and decryptStream are audited once each, failures with their code`, async () => {
      const events: AuditEvent[] = [];
      const keys = new LocalKeyProvider({ keyId: 'k-stream', key: randomBytes(32) });
      const envelope = createEnvelope({ keys, format, audit: (e) => events.push(e) });
      const plaintext = Buffer.from('Jane Doe, glucose 5.4');
      const sealed = await through(envelope.encryptStream({ context: { tenant: 'clinic-a' } }), plaintext);
      expect(await through(envelope.decryptStream(), sealed)).toEqual(plaintext);
      await expect(through(envelope.decryptStream({ context: { tenant: 'clinic-z' } }), sealed)).rejects.toMatchObject({ code: 'CONTEXT_MISMATCH' });
      const streams = events.filter((e) => e.operation.endsWith('Stream'));
      expect(streams.map((e) => `${e.operation}:${e.outcome}:${e.keyId}`)).toEqual([
        'encryptStream:success:k-stream',
        'decryptStream:success:k-stream',
        // Refused on the expected context before any key is used: the provider's id.
        `decryptStream:failure:${keys.id}`,
      ]);
      // The decrypting side learns the context from the message's header.
      for (const e of streams.slice(0, 2)) expect(e.contextKeys).toEqual(['tenant']);
      expect(streams[2]?.errorCode).toBe('CONTEXT_MISMATCH');
      expect(envelope.stats()).toMatchObject({ encryptions: 1, decryptions: 1 });
      const serialized = JSON.stringify(events);
      for (const secret of ['clinic-a', 'clinic-z', 'Jane']) expect(serialized).not.toContain(secret);
      envelope.destroy();
    });
  }
});
