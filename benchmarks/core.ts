// The core benchmark (issue 3): phiseal next to raw node:crypto AES-256-GCM and the AWS
// Encryption SDK in one process, KMS calls under concurrency, and message overhead.
// Run with `pnpm bench core`; the table goes to stdout and benchmarks/results/core.md.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import {
  AlgorithmSuiteIdentifier,
  buildClient,
  CommitmentPolicy,
  getLocalCryptographicMaterialsCache,
  KmsKeyringNode,
  NodeCachingMaterialsManager,
  RawAesKeyringNode,
  RawAesWrappingSuiteIdentifier,
} from '@aws-crypto/client-node';
import { CreateKeyCommand, KMS } from '@aws-sdk/client-kms';
import type * as Core from '@phiseal/core';
import type { KeyProvider } from '@phiseal/core';
import { fromDist } from './support/dist.js';
import { countCommands, startBenchEmulator, type Emulator } from './support/emulator.js';
import { committingFloor, type CommittingFloor } from './support/committing-floor.js';
import { signedFloor, type SignedFloor } from './support/signed-floor.js';
import { compare, megabytesPerSecond, runConcurrently, type Timing } from './support/harness.js';
import { environmentMarkdown, verdict, writeResult } from './support/results.js';
import { formatBytes, formatCount, formatNumber, formatRatio, formatSeconds, markdownTable } from './support/table.js';

const { createEnvelope, KmsKeyProvider, LocalKeyProvider } = await fromDist<typeof Core>('core');

const SIZES = [100, 1024, 64 * 1024];
const CONTEXT = { purpose: 'benchmark' };
const COMMITTING = AlgorithmSuiteIdentifier.ALG_AES256_GCM_IV12_TAG16_HKDF_SHA512_COMMIT_KEY;
const KMS_MESSAGES = 10_000;
// Both caches get phiseal's DataKeyCache defaults, so neither re-keys more often than the other.
const CACHE_LIMITS = { maxAge: 5 * 60_000, maxMessagesEncrypted: 2 ** 20, maxBytesEncrypted: 2 ** 36 };
const esdk = buildClient(CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT);
// The ESDK's KMS client types predate exactOptionalPropertyTypes; at runtime any v3 KMS client fits.
type EsdkKmsProvider = NonNullable<NonNullable<ConstructorParameters<typeof KmsKeyringNode>[0]>['clientProvider']>;
const esdkKms = (kms: KMS): EsdkKmsProvider => (() => kms) as unknown as EsdkKmsProvider;
const log = (line: string): void => void process.stderr.write(`[core] ${line}\n`);

type Bytes = Uint8Array | Promise<Uint8Array>;
type Subject = {
  name: string;
  encrypt: (plaintext: Buffer) => Bytes;
  decrypt: (message: Uint8Array) => Bytes;
  /** True when the official SDK must decrypt this subject's messages (same bytes on the wire). */
  sdkReadable?: boolean;
};
const RAW = 'raw AES-256-GCM';
const ESDK_DEFAULT = 'ESDK default (signing, 0x0578)';
const ESDK_COMMITTING = 'ESDK committing, no signing (0x0478)';
const PHISEAL = 'phiseal ESDK 0x0478';
const PHISEAL_SIGNED = 'phiseal ESDK 0x0578';
const PHISEAL_COMPACT = 'phiseal compact';
// One wrapping key and raw AES keyring names for both: the SDK decrypts phiseal's ESDK messages.
const WRAPPING_KEY = randomBytes(32);
const sdkKeyring = (): RawAesKeyringNode =>
  new RawAesKeyringNode({
    keyName: 'benchmark',
    keyNamespace: 'phiseal-bench',
    unencryptedMasterKey: new Uint8Array(WRAPPING_KEY),
    wrappingSuite: RawAesWrappingSuiteIdentifier.AES256_GCM_IV12_TAG16_NO_PADDING,
  });

// The floor: one cipher call per message, random 12-byte IV, no header, no AAD, no key derivation.
function rawGcm(): Subject {
  const key = randomBytes(32);
  return {
    name: RAW,
    encrypt(plaintext) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = cipher.update(plaintext);
      cipher.final();
      return Buffer.concat([iv, body, cipher.getAuthTag()]);
    },
    decrypt(message) {
      const bytes = Buffer.from(message.buffer, message.byteOffset, message.byteLength);
      const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, 12), { authTagLength: 16 });
      decipher.setAuthTag(bytes.subarray(bytes.length - 16));
      const body = decipher.update(bytes.subarray(12, bytes.length - 16));
      decipher.final();
      return body;
    },
  };
}

function esdkCached(name: string, suiteId?: AlgorithmSuiteIdentifier): Subject {
  const keyring = sdkKeyring();
  const cmm = new NodeCachingMaterialsManager({
    backingMaterials: keyring,
    cache: getLocalCryptographicMaterialsCache(1000),
    ...CACHE_LIMITS,
  });
  const options = suiteId === undefined ? { encryptionContext: CONTEXT } : { suiteId, encryptionContext: CONTEXT };
  return {
    name,
    encrypt: async (plaintext) => (await esdk.encrypt(cmm, plaintext, options)).result,
    decrypt: async (message) => (await esdk.decrypt(cmm, message)).plaintext,
  };
}

function phisealLocal(name: string, options: { format?: 'compact'; algorithmSuite?: 'committing-signed' }): Subject {
  const keys = new LocalKeyProvider({ keyId: 'benchmark', key: WRAPPING_KEY, namespace: 'phiseal-bench' });
  const envelope = createEnvelope({ keys, ...options });
  return {
    name,
    encrypt: (plaintext) => envelope.encrypt(plaintext, { context: CONTEXT }),
    decrypt: async (message) => (await envelope.decrypt(message, { context: CONTEXT })).plaintext,
    sdkReadable: options.format !== 'compact',
  };
}

type SpeedRow = { subject: string; op: 'encrypt' | 'decrypt'; size: number; timing: Timing };

async function speed(subjects: Subject[]): Promise<SpeedRow[]> {
  const rows: SpeedRow[] = [];
  for (const size of SIZES) {
    const plaintext = randomBytes(size);
    const messages = new Map<string, Uint8Array>();
    for (const subject of subjects) {
      // A benchmark of code that does not round-trip measures nothing.
      const message = await subject.encrypt(plaintext);
      if (!Buffer.from(await subject.decrypt(message)).equals(plaintext)) {
        throw new Error(`${subject.name} did not round-trip ${size} bytes`);
      }
      if (subject.sdkReadable && !Buffer.from((await esdk.decrypt(sdkKeyring(), message)).plaintext).equals(plaintext)) {
        throw new Error(`the ESDK did not decrypt ${subject.name}'s ${size}-byte message`);
      }
      messages.set(subject.name, message);
    }
    for (const op of ['encrypt', 'decrypt'] as const) {
      const cases = subjects.map((subject) => {
        const message = messages.get(subject.name)!;
        const fn = op === 'encrypt' ? () => subject.encrypt(plaintext) : () => subject.decrypt(message);
        return { name: subject.name, fn };
      });
      const timings = await compare(cases);
      for (const subject of subjects) {
        const timing = timings.get(subject.name)!;
        rows.push({ subject: subject.name, op, size, timing });
        log(`${op} ${formatBytes(size)} ${subject.name}: ${formatCount(timing.opsPerSec)} ops/s`);
      }
    }
  }
  return rows;
}

type KmsRow = { subject: string; concurrency: number; timing: Timing; generateDataKey: number; otherCalls: number };

async function kmsCalls(kms: KMS, keyArn: string): Promise<KmsRow[]> {
  const counter = countCommands(kms);
  const plaintext = randomBytes(1024);
  const subjects: { name: string; start: () => (plaintext: Buffer) => Promise<unknown> }[] = [
    {
      name: `${PHISEAL} (KmsKeyProvider, default DataKeyCache)`,
      start: () => {
        const envelope = createEnvelope({ keys: new KmsKeyProvider({ keyId: keyArn, client: kms }) });
        return (p) => envelope.encrypt(p, { context: CONTEXT });
      },
    },
    {
      name: `${ESDK_COMMITTING} (KmsKeyringNode, caching CMM)`,
      start: () => {
        const keyring = new KmsKeyringNode({ generatorKeyId: keyArn, clientProvider: esdkKms(kms) });
        const cmm = new NodeCachingMaterialsManager({
          backingMaterials: keyring,
          cache: getLocalCryptographicMaterialsCache(1000),
          ...CACHE_LIMITS,
        });
        return (p) => esdk.encrypt(cmm, p, { suiteId: COMMITTING, encryptionContext: CONTEXT });
      },
    },
  ];
  const rows: KmsRow[] = [];
  for (const subject of subjects) {
    for (const concurrency of [1, 100]) {
      const encrypt = subject.start(); // a fresh, empty cache per run
      counter.reset();
      const timing = await runConcurrently(KMS_MESSAGES, concurrency, () => encrypt(plaintext));
      const generateDataKey = counter.counts['GenerateDataKeyCommand'] ?? 0;
      rows.push({ subject: subject.name, concurrency, timing, generateDataKey, otherCalls: counter.total() - generateDataKey });
      log(`KMS ${subject.name} concurrency ${concurrency}: ${generateDataKey} GenerateDataKey`);
    }
  }
  return rows;
}

// A real KMS key ARN is 75 characters; a real GenerateDataKey CiphertextBlob for a
// symmetric key and a 32-byte data key is 184 bytes. moto's blobs are smaller.
const REAL_ARN = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const REAL_BLOB = 184;

type OverheadRow = { subject: string; setup: string; keyIdChars: number; blobBytes: number; overhead: number; how: string };

async function overhead(kms: KMS, keyArn: string): Promise<OverheadRow[]> {
  const plaintext = randomBytes(1024);
  const envelope = createEnvelope({ keys: new KmsKeyProvider({ keyId: keyArn, client: kms }) });
  const phisealMessage = await envelope.encrypt(plaintext);
  const compactMessage = await envelope.encrypt(plaintext, { format: 'compact' });
  const { wrapped } = await envelope.dataKey({}); // the cached key the message above used
  const sdk = await esdk.encrypt(new KmsKeyringNode({ generatorKeyId: keyArn, clientProvider: esdkKms(kms) }), plaintext, {
    suiteId: COMMITTING,
  });
  const edk = sdk.messageHeader.encryptedDataKeys[0]!;
  const esdkOverhead = sdk.result.length - plaintext.length;
  // A stand-in for KMS with real-sized output, to size a phiseal message as AWS would produce it.
  const realSized: KeyProvider = {
    id: 'aws-kms:real-sized',
    generate: () =>
      Promise.resolve({ key: randomBytes(32), wrapped: [{ provider: 'aws-kms', keyId: REAL_ARN, ciphertext: randomBytes(REAL_BLOB) }] }),
    wrap: () => Promise.reject(new Error('not used')),
    unwrap: () => Promise.reject(new Error('not used')),
  };
  const realEnvelope = createEnvelope({ keys: realSized });
  const realMessage = await realEnvelope.encrypt(plaintext);
  const realCompact = await realEnvelope.encrypt(plaintext, { format: 'compact' });
  const moto = 'KMS on the emulator (moto)';
  const real = `real-KMS-sized: ${REAL_ARN.length}-char ARN, ${REAL_BLOB}-byte blob`;
  const row = (subject: string, setup: string, keyIdChars: number, blobBytes: number, bytes: number, how: string): OverheadRow =>
    ({ subject, setup, keyIdChars, blobBytes, overhead: bytes, how });
  // The ESDK stores provider info (the ARN) and the blob length-prefixed, so sizes add exactly.
  const esdkReal = esdkOverhead + (REAL_BLOB - edk.encryptedDataKey.length) + (REAL_ARN.length - edk.providerInfo.length);
  return [
    row(PHISEAL, moto, wrapped.keyId.length, wrapped.ciphertext.length, phisealMessage.length - plaintext.length, 'measured'),
    row(PHISEAL_COMPACT, moto, wrapped.keyId.length, wrapped.ciphertext.length, compactMessage.length - plaintext.length, 'measured'),
    row(ESDK_COMMITTING, moto, edk.providerInfo.length, edk.encryptedDataKey.length, esdkOverhead, 'measured'),
    row(PHISEAL, real, REAL_ARN.length, REAL_BLOB, realMessage.length - plaintext.length, 'measured (stand-in key provider)'),
    row(PHISEAL_COMPACT, real, REAL_ARN.length, REAL_BLOB, realCompact.length - plaintext.length, 'measured (stand-in key provider)'),
    row(ESDK_COMMITTING, real, REAL_ARN.length, REAL_BLOB, esdkReal, 'computed from the measured moto message'),
  ];
}

// How far apart the fastest and slowest rounds were, relative to the median: the noise floor.
const spread = (t: Timing): string =>
  t.rounds ? `${formatNumber(((Math.max(...t.rounds) - Math.min(...t.rounds)) / t.opsPerSec) * 100)}%` : '';

/** Bytes a signed message's signature covers: all but the footer (u16 length | DER signature). */
function signedLength(message: Uint8Array): number {
  const bytes = Buffer.from(message.buffer, message.byteOffset, message.byteLength);
  for (let length = 8; length <= 104; length++) {
    const at = bytes.length - 2 - length;
    if (bytes.readUInt16BE(at) === length && bytes[at + 2] === 0x30) return at;
  }
  throw new Error('no ECDSA footer found');
}

/** The committing suite at 1 KiB with more rounds, next to the bare node:crypto work of one message. */
async function committing(): Promise<CommittingFloor> {
  const plaintext = randomBytes(1024);
  const sdk = esdkCached(ESDK_COMMITTING, COMMITTING);
  const ours = phisealLocal(PHISEAL, {});
  const [sdkMessage, ourMessage] = [await sdk.encrypt(plaintext), await ours.encrypt(plaintext)];
  // The header body: all but the header tag (16) and the one final frame (20 + 4 + plaintext + 16).
  const headerBody = Buffer.from(ourMessage.subarray(0, ourMessage.length - 16 - (24 + plaintext.length + 16)));
  log('0x0478 at 1 KiB next to the bare node:crypto work of one message');
  return committingFloor({
    sdk: { encrypt: () => sdk.encrypt(plaintext), decrypt: () => sdk.decrypt(sdkMessage) },
    phiseal: { encrypt: () => ours.encrypt(plaintext), decrypt: () => ours.decrypt(ourMessage) },
    headerBody,
    plaintext,
  });
}

/** The signed suite at 1 KiB with more rounds, next to one bare ECDSA sign and verify. */
async function signed(unsigned: CommittingFloor['phisealMicros']): Promise<SignedFloor> {
  const plaintext = randomBytes(1024);
  const sdk = esdkCached(ESDK_DEFAULT);
  const ours = phisealLocal(PHISEAL_SIGNED, { algorithmSuite: 'committing-signed' });
  const [sdkMessage, ourMessage] = [await sdk.encrypt(plaintext), await ours.encrypt(plaintext)];
  log('0x0578 at 1 KiB next to a bare ECDSA P-384 sign and verify');
  return signedFloor({
    sdk: { encrypt: () => sdk.encrypt(plaintext), decrypt: () => sdk.decrypt(sdkMessage) },
    phiseal: { encrypt: () => ours.encrypt(plaintext), decrypt: () => ours.decrypt(ourMessage) },
    signedBytes: signedLength(ourMessage),
    unsigned,
  });
}

function report(speedRows: SpeedRow[], unsigned: CommittingFloor, floor: SignedFloor, kmsRows: KmsRow[] | string, overheadRows: OverheadRow[] | string): string {
  const find = (subject: string, op: string, size: number): Timing =>
    speedRows.find((r) => r.subject === subject && r.op === op && r.size === size)!.timing;
  const ratio = (a: string, b: string, op: 'encrypt' | 'decrypt'): number => find(a, op, 1024).opsPerSec / find(b, op, 1024).opsPerSec;
  const goals: [string, number, number][] = [
    ['phiseal ESDK 0x0478 1 KiB encrypt ≥ 15x ESDK 0x0478 (caching CMM)', ratio(PHISEAL, ESDK_COMMITTING, 'encrypt'), 15],
    ['phiseal ESDK 0x0478 1 KiB decrypt ≥ 10x ESDK 0x0478 (caching CMM)', ratio(PHISEAL, ESDK_COMMITTING, 'decrypt'), 10],
    // From the longer signed-suite run below (a millisecond per operation: the short rounds time too few).
    ['phiseal ESDK 0x0578 1 KiB encrypt ≥ 3x ESDK 0x0578 (caching CMM)', floor.encryptRatio, 3],
    ['phiseal ESDK 0x0578 1 KiB decrypt ≥ 3x ESDK 0x0578 (caching CMM)', floor.decryptRatio, 3],
    ['phiseal compact 1 KiB encrypt ≥ 0.6x raw AES-256-GCM', ratio(PHISEAL_COMPACT, RAW, 'encrypt'), 0.6],
  ];
  const targets = markdownTable(
    ['Target', 'Measured', 'Result'],
    goals.map(([what, measured, goal]) => [what, formatRatio(measured), verdict(measured >= goal)]),
  );
  const throughput = markdownTable(
    ['Operation', 'Size', 'Implementation', 'ops/s', 'MB/s', 'µs/op', 'Round spread'],
    speedRows.map((r) => [
      r.op,
      formatBytes(r.size),
      r.subject,
      formatCount(r.timing.opsPerSec),
      formatNumber(megabytesPerSecond(r.timing, r.size)),
      formatNumber(1e6 / r.timing.opsPerSec),
      spread(r.timing),
    ]),
    ['left', 'right', 'left'],
  );
  const ratios = markdownTable(
    ['Operation', 'Size', 'ESDK 0x0478: phiseal ÷ SDK', 'ESDK 0x0578: phiseal ÷ SDK', 'compact ÷ raw GCM', 'phiseal 0x0478 ÷ raw GCM'],
    (['encrypt', 'decrypt'] as const).flatMap((op) =>
      SIZES.map((size) => {
        const r = (a: string, b: string): string => formatRatio(find(a, op, size).opsPerSec / find(b, op, size).opsPerSec);
        return [op, formatBytes(size), r(PHISEAL, ESDK_COMMITTING), r(PHISEAL_SIGNED, ESDK_DEFAULT), r(PHISEAL_COMPACT, RAW), r(PHISEAL, RAW)];
      }),
    ),
  );
  const kms =
    typeof kmsRows === 'string'
      ? kmsRows
      : markdownTable(
          ['Implementation', 'Concurrency', 'Encrypts (1 KiB)', 'GenerateDataKey calls', 'Other KMS calls', 'Wall time', 'Encrypts/s'],
          kmsRows.map((r) => {
            const { ops, seconds, opsPerSec } = r.timing;
            return [r.subject, r.concurrency, formatCount(ops), r.generateDataKey, r.otherCalls, formatSeconds(seconds), formatCount(opsPerSec)];
          }),
        );
  const sizes =
    typeof overheadRows === 'string'
      ? overheadRows
      : markdownTable(
          ['Implementation', 'Key and blob', 'Key id (chars)', 'Wrapped key (bytes)', 'Overhead (bytes)', 'How'],
          overheadRows.map((r) => [r.subject, r.setup, r.keyIdChars, r.blobBytes, r.overhead, r.how]),
          ['left', 'left', 'right', 'right', 'right', 'left'],
        );
  return `# Core benchmark

${environmentMarkdown()}

## Targets (1 KiB, cached keys)

${targets}

## Throughput

Sequential awaits: one operation at a time (concurrency 1). For each size and direction the six implementations
are warmed up (250 ms each), then take turns in 5 rounds of 200 ms (about 1 s each in all); ops/s is the median
round, and "round spread" is (fastest − slowest round) ÷ median, a measure of how noisy the machine was.
MB/s is plaintext megabytes (10^6 bytes) per second. Keys are local (no network):
phiseal uses \`LocalKeyProvider\` (raw AES keyring EDKs) with its default \`DataKeyCache\` and default PHI guard,
writing ESDK messages (0x0478, or 0x0578 with \`algorithmSuite: 'committing-signed'\`; every message is first checked to
decrypt in the SDK with a raw AES keyring of the same key and names) or compact messages; the ESDK
(\`@aws-crypto/client-node\`, \`REQUIRE_ENCRYPT_REQUIRE_DECRYPT\`) uses a \`RawAesKeyringNode\` inside a
\`NodeCachingMaterialsManager\` with the same limits. "ESDK default" is its default suite
(ALG_AES256_GCM_IV12_TAG16_HKDF_SHA512_COMMIT_KEY_ECDSA_P384, an ECDSA P-384 signature per message);
"ESDK committing, no signing" is ALG_AES256_GCM_IV12_TAG16_HKDF_SHA512_COMMIT_KEY. Both phiseal and the ESDK
encrypt with the context \`${JSON.stringify(CONTEXT)}\`. Raw AES-256-GCM is \`createCipheriv\` with a fixed key
and a random 12-byte IV per message, without AAD or a header. Decrypt cases open the same message repeatedly.

${throughput}

## Ratios

${ratios}

## Committing suite (0x0478) at 1 KiB: the node:crypto floor

${unsigned.markdown}
## Signed suite (0x0578) at 1 KiB: the ECDSA floor

The 0x0578 targets above come from this run.

${floor.markdown}
## KMS calls

${KMS_MESSAGES.toLocaleString('en-US')} encrypts of 1 KiB against KMS on the moto emulator, each run with a new,
empty cache; concurrency 100 means 100 workers each awaiting one encrypt at a time. Calls are counted by a
middleware on the KMS client, once per command (SDK retries not counted twice). Wall time includes the
emulator's round trips.

${kms}

## Message overhead

Ciphertext length minus plaintext length for 1 KiB, one KMS-wrapped data key, no encryption context, ESDK
on its committing non-signing suite (framed, 4 KiB frames, so one frame here).

${sizes}
`;
}

async function kmsSections(): Promise<{ kms: KmsRow[] | string; sizes: OverheadRow[] | string; ok: boolean }> {
  let emulator: Emulator | undefined;
  try {
    emulator = await startBenchEmulator();
    const kms = new KMS(emulator.clientConfig);
    const created = await kms.send(new CreateKeyCommand({ Description: 'phiseal core benchmark' }));
    const keyArn = created.KeyMetadata?.Arn;
    if (!keyArn) throw new Error('CreateKey returned no key ARN');
    return { kms: await kmsCalls(kms, keyArn), sizes: await overhead(kms, keyArn), ok: true };
  } catch (error) {
    const why = `Not measured: ${error instanceof Error ? error.message : String(error)}`;
    log(why);
    return { kms: why, sizes: why, ok: false };
  } finally {
    await emulator?.stop();
  }
}

const speedRows = await speed([
  rawGcm(),
  esdkCached(ESDK_DEFAULT),
  esdkCached(ESDK_COMMITTING, COMMITTING),
  phisealLocal(PHISEAL, {}),
  phisealLocal(PHISEAL_SIGNED, { algorithmSuite: 'committing-signed' }),
  phisealLocal(PHISEAL_COMPACT, { format: 'compact' }),
]);
const unsigned = await committing();
const floor = await signed(unsigned.phisealMicros);
const { kms, sizes, ok } = await kmsSections();
const markdown = report(speedRows, unsigned, floor, kms, sizes);
process.stdout.write(`${markdown}\n`);
log(`wrote ${writeResult('core', markdown)}`);
if (!ok) process.exitCode = 1;
