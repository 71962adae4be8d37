// The committing suite (0x0478) and its node:crypto floor (issue 12). On a cached data key a
// 1 KiB message needs, whoever writes it: a fresh 32-byte message id, HKDF-SHA512 (an extract
// salted with the message id and two one-block expands: three HMAC-SHA-512), an AES-GCM tag
// over the header (empty plaintext) and one AES-GCM frame (client-apis/encrypt.md); decrypt
// needs the same HKDF, a constant-time commit-key comparison and both GCM checks. This times
// exactly that work next to each side's whole per-message cost in the same interleaved rounds;
// SDK ÷ bare is the highest ratio any implementation on node:crypto could show.
import { createCipheriv, createDecipheriv, randomBytes, timingSafeEqual } from 'node:crypto';
import { hmacSecretAndPublic, hmacSha512 } from '../../packages/core/src/internal/esdk/hmac.js';
import { compare, defaultBudgetMs } from './harness.js';
import { formatNumber, formatRatio, markdownTable } from './table.js';

type Side = { encrypt: () => unknown; decrypt: () => unknown };
export type CommittingSides = {
  sdk: Side;
  phiseal: Side;
  /** Header body bytes of a real message (the header tag's AAD) and the plaintext. */
  headerBody: Buffer;
  plaintext: Buffer;
};
export type CommittingFloor = { phisealMicros: { encrypt: number; decrypt: number }; markdown: string };

const ZERO_IV = Buffer.alloc(12);
const FRAME_IV = Buffer.from('000000000000000000000001', 'hex');
const DERIVE_INFO = Buffer.from('\u0004\u0078DERIVEKEY\u0001', 'latin1');
const COMMIT_INFO = Buffer.from('COMMITKEY\u0001', 'latin1');

/** The bare per-message work (no header or frame serialization, no cache, no checks beyond crypto). */
export function bareCommitting(headerBody: Buffer, plaintext: Buffer): Side {
  const dataKey = randomBytes(32);
  const frameAad = randomBytes(32 + 34 + 12);
  // HKDF with the cheapest HMAC node:crypto allows (one-shot hashes; the public commit key as a string: see hmac.ts).
  const derive = (messageId: Buffer): { key: Buffer; commit: Buffer } => {
    const [prk] = hmacSha512(messageId, [dataKey]) as [Buffer];
    const [key, commit] = hmacSecretAndPublic(prk, DERIVE_INFO, COMMIT_INFO);
    return { key: key.subarray(0, 32), commit: Buffer.from(commit.slice(0, 32), 'latin1') };
  };
  const seal = (messageId: Buffer): { headerTag: Buffer; body: Buffer; frameTag: Buffer } => {
    const { key } = derive(messageId);
    const header = createCipheriv('aes-256-gcm', key, ZERO_IV);
    header.setAAD(headerBody);
    header.final();
    const frame = createCipheriv('aes-256-gcm', key, FRAME_IV);
    frame.setAAD(frameAad);
    const body = frame.update(plaintext);
    frame.final();
    return { headerTag: header.getAuthTag(), body, frameTag: frame.getAuthTag() };
  };
  // Message ids from a pooled CSPRNG buffer, as phiseal draws them (one randomBytes per 256).
  let pool = Buffer.alloc(0);
  let at = 0;
  const messageId = (): Buffer => {
    if (at + 32 > pool.length) [pool, at] = [randomBytes(32 * 256), 0];
    at += 32;
    return pool.subarray(at - 32, at);
  };
  const fixedId = randomBytes(32);
  const sealed = seal(fixedId);
  const commitment = Buffer.from(derive(fixedId).commit);
  return {
    encrypt: () => seal(messageId()),
    decrypt: () => {
      const { key, commit } = derive(fixedId);
      if (!timingSafeEqual(commit, commitment)) throw new Error('commit key mismatch');
      const header = createDecipheriv('aes-256-gcm', key, ZERO_IV, { authTagLength: 16 });
      header.setAAD(headerBody);
      header.setAuthTag(sealed.headerTag);
      header.final();
      const frame = createDecipheriv('aes-256-gcm', key, FRAME_IV, { authTagLength: 16 });
      frame.setAAD(frameAad);
      frame.setAuthTag(sealed.frameTag);
      const out = frame.update(sealed.body);
      frame.final();
      return out;
    },
  };
}

const micros = (timings: Map<string, { opsPerSec: number }>, name: string): number => 1e6 / timings.get(name)!.opsPerSec;

export async function committingFloor(sides: CommittingSides): Promise<CommittingFloor> {
  const bare = bareCommitting(sides.headerBody, sides.plaintext);
  // Nine rounds of twice the usual budget: the ratio to the floor is the point of this run.
  const options = { budgetMs: 2 * defaultBudgetMs(), rounds: 9 };
  const runs = new Map<'encrypt' | 'decrypt', Map<string, { opsPerSec: number }>>();
  for (const op of ['encrypt', 'decrypt'] as const) {
    runs.set(op, await compare([{ name: 'sdk', fn: sides.sdk[op] }, { name: 'phiseal', fn: sides.phiseal[op] }, { name: 'bare', fn: bare[op] }], options));
  }
  const row = (op: 'encrypt' | 'decrypt'): string[] => {
    const t = runs.get(op)!;
    const [sdk, ours, floor] = [micros(t, 'sdk'), micros(t, 'phiseal'), micros(t, 'bare')];
    return [op, formatNumber(floor), formatNumber(sdk), formatNumber(ours), formatNumber(ours - floor), formatRatio(sdk / ours), formatRatio(sdk / floor)];
  };
  const table = markdownTable(
    ['Operation', 'bare µs', 'SDK µs/msg', 'phiseal µs/msg', 'phiseal beyond bare (µs)', 'phiseal ÷ SDK', 'ceiling (SDK ÷ bare)'],
    [row('encrypt'), row('decrypt')],
  );
  const markdown = `The bare work is exactly the node:crypto calls every 0x0478 message needs on a cached data key:
encrypt = a message id from a pooled \`randomBytes\`, HKDF-SHA512 (extract salted with the message id, two
one-block expands; HMAC-SHA-512 as two one-shot \`crypto.hash\` calls, the cheapest node:crypto HMAC, the
public commit key's as strings), one AES-GCM
tag over the ${sides.headerBody.length}-byte header body and one AES-GCM frame of ${sides.plaintext.length} bytes; decrypt = the same HKDF, a
\`timingSafeEqual\` of the commit key and both GCM checks. No serialization, cache, guard or audit. Timed in
the same interleaved rounds as both sides (9 rounds, ${formatNumber(options.budgetMs / 1000)} s per case); the ceiling is the
ratio an implementation would reach if it did nothing but this work.

${table}
`;
  const at = (op: 'encrypt' | 'decrypt'): number => micros(runs.get(op)!, 'phiseal');
  return { phisealMicros: { encrypt: at('encrypt'), decrypt: at('decrypt') }, markdown };
}
