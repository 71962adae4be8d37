// Known-answer vectors (test/vectors/format-v1.json): fixed keys, IV and context must give
// exactly the committed bytes, and the committed bytes must decrypt through the public API.
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import streamFile from '../test/vectors/stream-v1.json' with { type: 'json' };
import vectorsFile from '../test/vectors/format-v1.json' with { type: 'json' };
import { createEnvelope } from './envelope.js';
import { deriveMessageKeys } from './internal/derive.js';
import { keyMaterial, seal } from './internal/material.js';
import { buildHeader } from './internal/message-format.js';
import { buildStreamHeader, sealFrame, streamKey } from './internal/stream-format.js';
import { LocalKeyProvider } from './local-key-provider.js';

const bytes = (hex: string) => Buffer.from(hex, 'hex');

describe('message format v1 known-answer vectors', () => {
  for (const v of vectorsFile.vectors) {
    it(v.description, async () => {
      const wrapped = v.wrapped.map((w) => ({ ...w, ciphertext: bytes(w.ciphertext) }));
      const context = v.context as Record<string, string>;
      const header = buildHeader(wrapped, context, deriveMessageKeys(bytes(v.dataKey)).commitment);
      const rebuilt = seal({ ...keyMaterial(bytes(v.dataKey), 'kat'), wrapped, storedContext: context, header }, bytes(v.plaintext), bytes(v.iv));
      expect(rebuilt.toString('hex')).toBe(v.message);
      // The header and keys a cached data key builds on first compact use are the same bytes.
      const lazy = seal({ ...keyMaterial(bytes(v.dataKey), 'kat'), wrapped, storedContext: context }, bytes(v.plaintext), bytes(v.iv));
      expect(lazy.toString('hex')).toBe(v.message);
      expect(`ps1.${rebuilt.toString('base64url')}`).toBe(v.compact);

      const envelope = createEnvelope({ keys: new LocalKeyProvider({ keyId: v.localKeyId, key: bytes(v.localKey) }), guard: false });
      for (const sealed of [bytes(v.message), v.compact]) {
        const out = await envelope.decrypt(sealed, { context });
        expect(Buffer.from(out.plaintext).toString('hex')).toBe(v.plaintext);
        expect(out.context).toEqual(context);
      }
    });
  }
});

describe('stream format v1 known-answer vectors', () => {
  for (const v of streamFile.vectors) {
    it(v.description, async () => {
      const wrapped = v.wrapped.map((w) => ({ ...w, ciphertext: bytes(w.ciphertext) }));
      const context = v.context as Record<string, string>;
      const dataKey = bytes(v.dataKey);
      const header = buildStreamHeader(wrapped, context, v.frameLength, bytes(v.streamId), deriveMessageKeys(dataKey).commitment);
      const key = streamKey(dataKey, bytes(v.streamId));
      const plaintext = bytes(v.plaintext);
      const frames: Buffer[] = [];
      let offset = 0;
      let index = 0;
      while (plaintext.length - offset > v.frameLength) {
        frames.push(sealFrame(key, header, index++, false, plaintext.subarray(offset, offset + v.frameLength)));
        offset += v.frameLength;
      }
      frames.push(sealFrame(key, header, index, true, plaintext.subarray(offset)));
      expect(Buffer.concat([header, ...frames]).toString('hex')).toBe(v.stream);

      const envelope = createEnvelope({ keys: new LocalKeyProvider({ keyId: v.localKeyId, key: bytes(v.localKey) }), guard: false });
      const out: Buffer[] = [];
      await pipeline(
        Readable.from([bytes(v.stream)]),
        envelope.decryptStream({ context }),
        new Writable({
          write(chunk: Buffer, _encoding, done) {
            out.push(chunk);
            done();
          },
        }),
      );
      expect(Buffer.concat(out).toString('hex')).toBe(v.plaintext);
    });
  }
});
