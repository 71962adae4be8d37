// Writes format-v1.json: known-answer vectors for phiseal message format v1.
// Run once (it overwrites both files with fresh random inputs) with `pnpm exec tsx packages/core/test/vectors/generate.ts`; the vectors are
// committed and checked by format-vectors.test.ts, so a change to the format shows up as
// a failing test, not as silently different bytes.
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { deriveMessageKeys } from '../../src/internal/derive.js';
import { keyMaterial, seal } from '../../src/internal/material.js';
import { buildHeader } from '../../src/internal/message-format.js';
import { buildStreamHeader, sealFrame, streamKey } from '../../src/internal/stream-format.js';
import type { WrappedKey } from '../../src/key-provider.js';
import { LocalKeyProvider } from '../../src/local-key-provider.js';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

async function vector(description: string, plaintext: Buffer, context: Record<string, string>, kms: boolean) {
  const localKey = randomBytes(32);
  const dataKey = randomBytes(32);
  const iv = randomBytes(12);
  const local = new LocalKeyProvider({ keyId: 'kat-local', key: localKey });
  const wrapped: WrappedKey[] = [...(await local.wrap(dataKey, context))];
  if (kms) {
    // A KMS wrapping as it is stored (the blob is synthetic: no KMS can unwrap it).
    wrapped.unshift({
      provider: 'aws-kms',
      keyId: 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
      ciphertext: randomBytes(184),
    });
  }
  const { commitment } = deriveMessageKeys(dataKey);
  const header = buildHeader(wrapped, context, commitment);
  const material = { ...keyMaterial(dataKey, 'kat'), wrapped, storedContext: context, header };
  const message = seal(material, plaintext, iv);
  return {
    description,
    localKeyId: 'kat-local',
    localKey: hex(localKey),
    dataKey: hex(dataKey),
    context,
    iv: hex(iv),
    plaintext: hex(plaintext),
    wrapped: wrapped.map((w) => ({ provider: w.provider, keyId: w.keyId, ciphertext: hex(w.ciphertext) })),
    message: hex(message),
    compact: `ps1.${message.toString('base64url')}`,
  };
}

const vectors = [
  await vector('empty plaintext, empty context, local key', Buffer.alloc(0), {}, false),
  await vector('short text with context', Buffer.from('HbA1c 6.1%'), { tenant: 'clinic-a', purpose: 'lab-results' }, false),
  await vector('binary, unicode context, KMS + local wrappings', randomBytes(100), { 'région': 'ü-ß', a: '' }, true),
  await vector('one block plus one byte', randomBytes(17), { tenant: 'x' }, false),
];
writeFileSync(new URL('./format-v1.json', import.meta.url), `${JSON.stringify({ format: 'phiseal message v1', vectors }, null, 2)}\n`);

async function streamVector(description: string, plaintext: Buffer, context: Record<string, string>, frameLength: number) {
  const localKey = randomBytes(32);
  const dataKey = randomBytes(32);
  const streamId = randomBytes(32);
  const local = new LocalKeyProvider({ keyId: 'kat-local', key: localKey });
  const wrapped = [...(await local.wrap(dataKey, context))];
  const header = buildStreamHeader(wrapped, context, frameLength, streamId, deriveMessageKeys(dataKey).commitment);
  const key = streamKey(dataKey, streamId);
  const frames: Buffer[] = [];
  let offset = 0;
  let index = 0;
  while (plaintext.length - offset > frameLength) {
    frames.push(sealFrame(key, header, index++, false, plaintext.subarray(offset, offset + frameLength)));
    offset += frameLength;
  }
  frames.push(sealFrame(key, header, index, true, plaintext.subarray(offset)));
  return {
    description,
    localKeyId: 'kat-local',
    localKey: hex(localKey),
    dataKey: hex(dataKey),
    streamId: hex(streamId),
    frameLength,
    context,
    plaintext: hex(plaintext),
    wrapped: wrapped.map((w) => ({ provider: w.provider, keyId: w.keyId, ciphertext: hex(w.ciphertext) })),
    stream: hex(Buffer.concat([header, ...frames])),
  };
}
const streams = [
  await streamVector('empty stream', Buffer.alloc(0), {}, 1024),
  await streamVector('three frames, last partial', randomBytes(2 * 1024 + 100), { tenant: 'clinic-a' }, 1024),
  await streamVector('exact multiple of the frame length', randomBytes(2048), { a: 'b' }, 1024),
];
writeFileSync(new URL('./stream-v1.json', import.meta.url), `${JSON.stringify({ format: 'phiseal stream v1', vectors: streams }, null, 2)}\n`);
console.log(`wrote ${vectors.length} message and ${streams.length} stream vectors`);
