// The floor of an ESDK 0x0478 message (issue 12) on a busy machine: the same three cases as
// `pnpm bench core`'s "node:crypto floor" section (the SDK with its caching CMM, phiseal, and
// the bare node:crypto work of one message: support/committing-floor.ts), but each round is
// timed by the wall clock and by CPU time, and the 10th-percentile round is reported, so a
// shared machine still gives usable ratios.
// Run: `pnpm build && pnpm exec tsx benchmarks/esdk-floor.ts` (no emulator; prints only).
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import {
  AlgorithmSuiteIdentifier,
  buildClient,
  CommitmentPolicy,
  getLocalCryptographicMaterialsCache,
  NodeCachingMaterialsManager,
  RawAesKeyringNode,
  RawAesWrappingSuiteIdentifier,
} from '@aws-crypto/client-node';
import type * as Core from '@phiseal/core';
import { bareCommitting } from './support/committing-floor.js';
import { fromDist } from './support/dist.js';

const { createEnvelope, LocalKeyProvider } = await fromDist<typeof Core>('core');
const CONTEXT = { purpose: 'benchmark' };
const KEY = randomBytes(32);
const plaintext = randomBytes(1024);
const esdk = buildClient(CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT);
const cmm = new NodeCachingMaterialsManager({
  backingMaterials: new RawAesKeyringNode({
    keyName: 'benchmark',
    keyNamespace: 'phiseal-bench',
    unencryptedMasterKey: new Uint8Array(KEY),
    wrappingSuite: RawAesWrappingSuiteIdentifier.AES256_GCM_IV12_TAG16_NO_PADDING,
  }),
  cache: getLocalCryptographicMaterialsCache(1000),
  maxAge: 5 * 60_000,
  maxMessagesEncrypted: 2 ** 20,
  maxBytesEncrypted: 2 ** 36,
});
const sdkOptions = { suiteId: AlgorithmSuiteIdentifier.ALG_AES256_GCM_IV12_TAG16_HKDF_SHA512_COMMIT_KEY, encryptionContext: CONTEXT };
const envelope = createEnvelope({ keys: new LocalKeyProvider({ keyId: 'benchmark', key: KEY, namespace: 'phiseal-bench' }) });
const sdkMessage = (await esdk.encrypt(cmm, plaintext, sdkOptions)).result;
const phisealMessage = await envelope.encrypt(plaintext, { context: CONTEXT });
// Header body length of phiseal's message: everything before the header tag (16), the body (one final frame) and nothing after.
const headerBodyLength = phisealMessage.length - 16 - (8 + 12 + 4 + plaintext.length + 16);
const headerBody = Buffer.from(phisealMessage.subarray(0, headerBodyLength));

const bare = bareCommitting(headerBody, plaintext);

const ROUNDS = Number(process.env['FLOOR_ROUNDS'] ?? 30);
const ROUND_MS = 100;
type Sample = { wall: number; cpu: number };

/** µs per op of one round of `fn` (sequential awaits, as the harness does), by the wall clock and by CPU time. */
async function round(fn: () => unknown, ops: number): Promise<Sample> {
  const start = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  for (let i = 0; i < ops; i++) await fn();
  const used = process.cpuUsage(cpu);
  return { wall: Number(process.hrtime.bigint() - start) / 1e3 / ops, cpu: (used.user + used.system) / ops };
}

// On a shared machine a round's wall time is the op's cost plus whatever the scheduler took
// away; CPU time (user + system, every thread of this process) leaves that out but counts the
// GC's helper threads, which an idle machine runs beside the main thread. Many interleaved
// rounds and their 10th percentile (the least disturbed) estimate the idle cost either way.
async function timed(cases: { name: string; fn: () => unknown }[]): Promise<Map<string, Sample>> {
  const sizes = new Map<string, number>();
  for (const { name, fn } of cases) {
    await round(fn, 200);
    sizes.set(name, Math.max(20, Math.round((ROUND_MS * 1e3) / (await round(fn, 200)).wall)));
  }
  const samples = new Map<string, Sample[]>(cases.map(({ name }) => [name, []]));
  for (let r = 0; r < ROUNDS; r++) for (const { name, fn } of cases) samples.get(name)!.push(await round(fn, sizes.get(name)!));
  const p10 = (values: number[]): number => values.sort((x, y) => x - y)[Math.floor(values.length / 10)]!;
  return new Map([...samples].map(([name, v]) => [name, { wall: p10(v.map((x) => x.wall)), cpu: p10(v.map((x) => x.cpu)) }]));
}

const load = (): string => loadavg().map((l) => l.toFixed(2)).join(' ');
console.log(`0x0478, 1 KiB, cached data key; p10 of ${ROUNDS} interleaved rounds`);
for (const op of ['encrypt', 'decrypt'] as const) {
  const before = load();
  const cases =
    op === 'encrypt'
      ? [
          { name: 'sdk', fn: async () => (await esdk.encrypt(cmm, plaintext, sdkOptions)).result },
          { name: 'phiseal', fn: () => envelope.encrypt(plaintext, { context: CONTEXT }) },
          { name: 'bare', fn: bare.encrypt },
        ]
      : [
          { name: 'sdk', fn: async () => (await esdk.decrypt(cmm, sdkMessage)).plaintext },
          { name: 'phiseal', fn: async () => (await envelope.decrypt(phisealMessage, { context: CONTEXT })).plaintext },
          { name: 'bare', fn: bare.decrypt },
        ];
  const t = await timed(cases);
  for (const clock of ['wall', 'cpu'] as const) {
    const [sdk, phiseal, bare] = ['sdk', 'phiseal', 'bare'].map((name) => t.get(name)![clock]) as [number, number, number];
    const f = (n: number): string => n.toFixed(1);
    console.log(
      `${op} ${clock.padEnd(4)}: SDK ${f(sdk)} µs, phiseal ${f(phiseal)} µs, bare ${f(bare)} µs | phiseal ÷ SDK ${(sdk / phiseal).toFixed(2)}x, floor (SDK ÷ bare) ${(sdk / bare).toFixed(2)}x, phiseal beyond bare ${f(phiseal - bare)} µs`,
    );
  }
  console.log(`  load ${before} -> ${load()}`);
}
