// Known-answer vectors (test/vectors/format-v1.json): fixed keys, IV and context must give
// exactly the committed bytes, and the committed bytes must decrypt through the public API.
import { describe, expect, it } from 'vitest';
import vectorsFile from '../test/vectors/format-v1.json' with { type: 'json' };
import { createEnvelope } from './envelope.js';
import { deriveMessageKeys } from './internal/derive.js';
import { keyMaterial, seal } from './internal/material.js';
import { buildHeader } from './internal/message-format.js';
import { LocalKeyProvider } from './local-key-provider.js';

const bytes = (hex: string) => Buffer.from(hex, 'hex');

describe('message format v1 known-answer vectors', () => {
  for (const v of vectorsFile.vectors) {
    it(v.description, async () => {
      const wrapped = v.wrapped.map((w) => ({ ...w, ciphertext: bytes(w.ciphertext) }));
      const context = v.context as Record<string, string>;
      const header = buildHeader(wrapped, context, deriveMessageKeys(bytes(v.dataKey)).commitment);
      const rebuilt = seal({ ...keyMaterial(bytes(v.dataKey), 'kat'), wrapped, header }, bytes(v.plaintext), bytes(v.iv));
      expect(rebuilt.toString('hex')).toBe(v.message);
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
