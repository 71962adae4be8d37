// Which parts of the ESDK message format phiseal takes from the official @aws-crypto/*
// libraries and which it writes itself (issue 12, "Dependencies"; docs/format.md §A.6): the
// header serializer and parser of @aws-crypto/serialize 5.0.2 next to phiseal's own, on the
// same header (0x0478, a two-pair context, one KMS EDK with a 75-character ARN and a 184-byte
// blob), and next to a whole phiseal 1 KiB encrypt and decrypt (local key, cached data key),
// so the table shows what the library would cost on phiseal's hot path.
// Run: `pnpm exec tsx benchmarks/esdk-parts.ts` (no emulator); writes benchmarks/results/esdk-parts.md.
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { NodeAlgorithmSuite } from '@aws-crypto/client-node';
import { deserializeFactory, serializeFactory } from '@aws-crypto/serialize';
import { createEnvelope, LocalKeyProvider } from '@phiseal/core';
import { byteReader } from '../packages/core/src/internal/bytes.js';
import { serializeContext } from '../packages/core/src/internal/esdk/context.js';
import { serializeEdks } from '../packages/core/src/internal/esdk/edks.js';
import { decodeMaterial, headerBodyLength, headerMaterial, readHeaderLayout, writeHeaderBody } from '../packages/core/src/internal/esdk/header.js';
import { COMMITTING } from '../packages/core/src/internal/esdk/suites.js';
import { compare } from './support/harness.js';
import { environmentMarkdown, writeResult } from './support/results.js';
import { formatNumber, formatRatio, markdownTable } from './support/table.js';

const log = (line: string): void => void process.stderr.write(`[esdk-parts] ${line}\n`);
const context = { tenant: 'clinic-a', purpose: 'claims' };
const arn = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const blob = randomBytes(184);
const wrapped = [{ provider: 'aws-kms', keyId: arn, ciphertext: blob }];
const messageId = randomBytes(32);
const commitKey = randomBytes(32);
const FRAME = 4096;

// phiseal: the context and EDK section ("material") is built once per data key and cached
// with it, so a message pays only for writing the header body around it.
const material = headerMaterial(serializeContext(context), serializeEdks(wrapped));
const phisealFull = (): Buffer => {
  const m = headerMaterial(serializeContext(context), serializeEdks(wrapped));
  const out = Buffer.allocUnsafe(headerBodyLength(m));
  writeHeaderBody(out, COMMITTING, messageId, m, FRAME, commitKey);
  return out;
};
const phisealPerMessage = (): Buffer => {
  const out = Buffer.allocUnsafe(headerBodyLength(material));
  writeHeaderBody(out, COMMITTING, messageId, material, FRAME, commitKey);
  return out;
};

// @aws-crypto/serialize, as @aws-crypto/encrypt-node calls it for every message.
const toUtf8 = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('utf8');
const fromUtf8 = (s: string): Uint8Array => Buffer.from(s, 'utf8');
const serialize = serializeFactory(fromUtf8, { utf8Sorting: true });
const suite = new NodeAlgorithmSuite(0x0478);
const sdkEdk = { providerId: 'aws-kms', providerInfo: arn, encryptedDataKey: new Uint8Array(blob) };
const sdkSerialize = (): Uint8Array =>
  serialize.serializeMessageHeader(
    serialize.buildMessageHeader({ encryptionContext: context, encryptedDataKeys: [sdkEdk], suite, messageId, frameLength: FRAME, suiteData: commitKey }),
  );
const { deserializeMessageHeader } = deserializeFactory(toUtf8, NodeAlgorithmSuite);

// The same header checks out both ways before anything is timed.
if (!Buffer.from(sdkSerialize()).equals(phisealFull())) throw new Error('the two serializers disagree');

const envelope = createEnvelope({ keys: new LocalKeyProvider({ keyId: 'bench', key: randomBytes(32) }) });
const plaintext = randomBytes(1024);
const message = Buffer.from(await envelope.encrypt(plaintext, { context }));
const phisealParse = (): unknown => {
  const layout = readHeaderLayout(byteReader(message), message, 10);
  return decodeMaterial(layout, 10);
};
// On a data-key cache hit phiseal lays the header out and never decodes the EDKs or the context.
const phisealLayout = (): unknown => readHeaderLayout(byteReader(message), message, 10);
const sdkParse = (): unknown => {
  const info = deserializeMessageHeader(message, { maxEncryptedDataKeys: 10 });
  if (!info) throw new Error('incomplete header');
  return info;
};

log('header serialization and parsing');
const timings = await compare([
  { name: 'phiseal-full', fn: phisealFull },
  { name: 'phiseal-message', fn: phisealPerMessage },
  { name: 'sdk-serialize', fn: sdkSerialize },
  { name: 'phiseal-parse', fn: phisealParse },
  { name: 'phiseal-layout', fn: phisealLayout },
  { name: 'sdk-parse', fn: sdkParse },
]);
log('whole phiseal 1 KiB messages');
const whole = await compare([
  { name: 'encrypt', fn: () => envelope.encrypt(plaintext, { context }) },
  { name: 'decrypt', fn: () => envelope.decrypt(message) },
]);
const us = (name: string, from = timings): number => 1e6 / from.get(name)!.opsPerSec;
const share = (name: string, of: 'encrypt' | 'decrypt'): string => `${formatNumber((100 * us(name)) / us(of, whole))} %`;
const rows = [
  ['header serialization, per message (material cached with the data key)', formatNumber(us('phiseal-message')), formatNumber(us('sdk-serialize')), formatRatio(us('sdk-serialize') / us('phiseal-message')), share('sdk-serialize', 'encrypt')],
  ['header serialization, from scratch', formatNumber(us('phiseal-full')), formatNumber(us('sdk-serialize')), formatRatio(us('sdk-serialize') / us('phiseal-full')), share('sdk-serialize', 'encrypt')],
  ['header parsing, per message (cache hit: laid out, context and EDKs not decoded)', formatNumber(us('phiseal-layout')), formatNumber(us('sdk-parse')), formatRatio(us('sdk-parse') / us('phiseal-layout')), share('sdk-parse', 'decrypt')],
  ['header parsing, context and EDKs decoded (cache miss, or an expected context)', formatNumber(us('phiseal-parse')), formatNumber(us('sdk-parse')), formatRatio(us('sdk-parse') / us('phiseal-parse')), share('sdk-parse', 'decrypt')],
];
const table = markdownTable(['Part (same header bytes)', 'phiseal µs', '@aws-crypto/serialize µs', 'library / phiseal', 'library as % of a whole phiseal 1 KiB message'], rows, ['left', 'right', 'right', 'right', 'right']);
console.log(table);
const path = writeResult(
  'esdk-parts',
  [
    '# ESDK message parts: phiseal\'s own code next to @aws-crypto/serialize 5.0.2',
    '',
    environmentMarkdown(),
    `- Load average at the start: ${loadavg().map((l) => l.toFixed(1)).join(', ')} (2 cores: figures under load are noisy; ratios are from one interleaved run)`,
    `- Whole phiseal 1 KiB message (local key, cached data key, same run): encrypt ${formatNumber(us('encrypt', whole))} µs, decrypt ${formatNumber(us('decrypt', whole))} µs`,
    '',
    'One header: suite 0x0478, context of two pairs, one `aws-kms` EDK (75-character ARN, 184-byte blob), 4096-byte',
    'frames. Both serializers produce the same bytes (checked before timing). The library calls are what',
    '`@aws-crypto/encrypt-node` and `decrypt-node` make per message (`buildMessageHeader` + `serializeMessageHeader`;',
    '`deserializeMessageHeader`). Median of interleaved rounds; the last column is the library call\'s time as a',
    'share of one whole phiseal encrypt (serialization rows) or decrypt (parsing row), i.e. what adopting it would add.',
    '',
    table,
  ].join('\n'),
);
log(`wrote ${path}`);
