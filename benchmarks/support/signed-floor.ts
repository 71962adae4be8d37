// The signed suite (0x0578) and its floor. Each message carries one ECDSA P-384 signature,
// made on encrypt and checked on decrypt; both phiseal and the ESDK make it with the same
// node:crypto (OpenSSL) call, so neither can go below it. This measures one bare sign and one
// bare verify next to each side's whole per-message cost, in the same interleaved rounds, and
// gives the highest phiseal ÷ SDK ratio the floor allows (SDK ÷ bare ECDSA).
import { createSign, createVerify, generateKeyPairSync, randomBytes } from 'node:crypto';
import { compare, defaultBudgetMs } from './harness.js';
import { formatNumber, formatRatio, markdownTable } from './table.js';

export type SignedSides = {
  sdk: { encrypt: () => unknown; decrypt: () => unknown };
  phiseal: { encrypt: () => unknown; decrypt: () => unknown };
  /** Bytes each side signs per message (header and body), for the bare sign and verify. */
  signedBytes: number;
  /** phiseal's µs per 0x0478 message (everything a signed message does besides the ECDSA call). */
  unsigned: { encrypt: number; decrypt: number };
};

export type SignedFloor = { encryptRatio: number; decryptRatio: number; markdown: string };

/** µs per operation of a compare() result. */
const micros = (timings: Map<string, { opsPerSec: number }>, name: string): number => 1e6 / timings.get(name)!.opsPerSec;

export async function signedFloor(sides: SignedSides): Promise<SignedFloor> {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'secp384r1' });
  const data = randomBytes(sides.signedBytes);
  const signature = createSign('sha384').update(data).sign({ key: privateKey, dsaEncoding: 'der' });
  const sign = (): Buffer => createSign('sha384').update(data).sign({ key: privateKey, dsaEncoding: 'der' });
  const verify = (): boolean => createVerify('sha384').update(data).verify({ key: publicKey, dsaEncoding: 'der' }, signature);
  // Three times the usual budget in nine rounds: an operation here takes about a millisecond,
  // so the default budget would time too few of them on a busy machine.
  const options = { budgetMs: 3 * defaultBudgetMs(), rounds: 9 };
  const enc = await compare(
    [
      { name: 'sdk', fn: sides.sdk.encrypt },
      { name: 'phiseal', fn: sides.phiseal.encrypt },
      { name: 'ecdsa', fn: sign },
    ],
    options,
  );
  const dec = await compare(
    [
      { name: 'sdk', fn: sides.sdk.decrypt },
      { name: 'phiseal', fn: sides.phiseal.decrypt },
      { name: 'ecdsa', fn: verify },
    ],
    options,
  );
  const row = (op: 'encrypt' | 'decrypt', timings: Map<string, { opsPerSec: number }>, bare: string): string[] => {
    const [sdk, ours, ecdsa] = [micros(timings, 'sdk'), micros(timings, 'phiseal'), micros(timings, 'ecdsa')];
    return [
      op,
      formatNumber(ecdsa),
      formatNumber(sdk),
      formatNumber(ours),
      `${formatNumber(((ours - ecdsa) / ours) * 100)}%`,
      `${formatNumber(((sdk - ecdsa) / sdk) * 100)}%`,
      formatRatio(sdk / ours),
      formatRatio(sdk / ecdsa),
      formatRatio(sdk / (ecdsa + sides.unsigned[op])),
      bare,
    ];
  };
  const table = markdownTable(
    ['Operation', 'bare ECDSA µs', 'SDK µs/msg', 'phiseal µs/msg', 'phiseal beyond ECDSA', 'SDK beyond ECDSA', 'phiseal ÷ SDK', 'ceiling (SDK ÷ ECDSA)', 'ceiling with 0x0478 cost', 'bare call'],
    [row('encrypt', enc, 'createSign(sha384).sign'), row('decrypt', dec, 'createVerify(sha384).verify')],
  );
  const markdown = `Each side's per-message cost next to one bare ECDSA P-384 call (node:crypto, a fresh key pair,
${sides.signedBytes.toLocaleString('en-US')} bytes hashed with SHA-384: the size of the header and body each side signs),
timed in the same interleaved rounds (9 rounds, ${formatNumber(options.budgetMs / 1000)} s per case). Both sides make
exactly one such call per message: the caching CMM reuses its cached signing key (encrypt) and verification key
(decrypt), and so does phiseal's data-key cache. "beyond ECDSA" is the share of the per-message cost that is
not the bare call; the ceiling is the ratio phiseal would reach if its share were zero, and "with 0x0478
cost" the ratio it would reach if a signed message cost one bare call plus an unsigned 0x0478 message
(phiseal's µs per message from the 0x0478 floor run above: HKDF, GCM, header, cache).

${table}
`;
  return { encryptRatio: micros(enc, 'sdk') / micros(enc, 'phiseal'), decryptRatio: micros(dec, 'sdk') / micros(dec, 'phiseal'), markdown };
}
