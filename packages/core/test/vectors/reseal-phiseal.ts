// Rewrites the `message` of each "phiseal" vector in esdk-v2.json from its own fixed inputs
// (wrapping key, data key, raw AES IV, message id, context, plaintext) with the current
// writer, keeping the inputs. Used once when the writer's framing changed (a plaintext that is
// a multiple of the frame length now ends with an empty final frame, as the SDKs write it).
// Run: `pnpm exec tsx packages/core/test/vectors/reseal-phiseal.ts`, then
// `.venv/bin/python packages/core/test/vectors/python-vectors.py` to have the Python SDK check them.
import { createCipheriv } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { serializeContext } from '../../src/internal/esdk/context.js';
import { serializeEdks } from '../../src/internal/esdk/edks.js';
import { headerMaterial } from '../../src/internal/esdk/header.js';
import { sealMessage } from '../../src/internal/esdk/message.js';
import { rawAesInfo } from '../../src/internal/esdk/raw-aes-info.js';
import { COMMITTING } from '../../src/internal/esdk/suites.js';

type Vector = { keyName: string; keyNamespace: string; wrappingKey: string; dataKey: string; wrapIv: string; messageId: string; frameLength: number; context: Record<string, string>; plaintext: string; message: string };
const FILE = new URL('./esdk-v2.json', import.meta.url);
const all = JSON.parse(readFileSync(FILE, 'utf8')) as { phiseal: Vector[] };
const bytes = (h: string) => Buffer.from(h, 'hex');
for (const v of all.phiseal) {
  const cipher = createCipheriv('aes-256-gcm', bytes(v.wrappingKey), bytes(v.wrapIv));
  cipher.setAAD(serializeContext(v.context));
  const edk = Buffer.concat([cipher.update(bytes(v.dataKey)), cipher.final(), cipher.getAuthTag()]);
  const wrapped = [{ provider: v.keyNamespace, keyId: v.keyName, providerInfo: rawAesInfo(Buffer.from(v.keyName), bytes(v.wrapIv)), ciphertext: edk }];
  const material = headerMaterial(serializeContext(v.context), serializeEdks(wrapped));
  v.message = sealMessage({ suite: COMMITTING, dataKey: bytes(v.dataKey), material }, bytes(v.plaintext), v.frameLength, bytes(v.messageId)).toString('hex');
}
writeFileSync(FILE, `${JSON.stringify(all, null, 2)}\n`);
