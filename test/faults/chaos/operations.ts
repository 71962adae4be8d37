// The mixed operations of a chaos run. Each one records what it acknowledged (or may have
// written) in the ledger and throws whatever phiseal threw; reads compare with the ledger.
import type { Random } from '../../support/faults/random.js';
import { outcomeUnknown, type Ledger } from './ledger.js';
import type { World } from './world.js';

/** One operation: runs against the world, keeps the books. */
export type Operation = (world: World, ledger: Ledger, random: Random, n: number) => Promise<void>;

const bytesOf = (random: Random, size: number): Buffer => Buffer.from(Array.from({ length: size }, () => Math.floor(random() * 256)));
const textOf = (random: Random, size: number): string => Array.from({ length: size }, () => String.fromCharCode(97 + Math.floor(random() * 26))).join('');
const pick = <T>(random: Random, values: readonly T[]): T | undefined => values[Math.floor(random() * values.length)];

async function written<T>(ledger: Map<string, T>, maybe: Map<string, T>, key: string, value: T, write: () => Promise<unknown>): Promise<void> {
  try {
    await write();
    ledger.set(key, value);
  } catch (error) {
    if (outcomeUnknown(error)) maybe.set(key, value);
    throw error;
  }
}

const s3Put: Operation = async (world, ledger, random, n) => {
  const key = `obj/${n}`;
  const body = bytesOf(random, 1 + Math.floor(random() * 20_000));
  await written(ledger.objects, ledger.maybeObjects, key, body, () => world.s3.putObject({ Bucket: world.bucket, Key: key, Body: body }));
};

const s3Get: Operation = async (world, ledger, random) => {
  const key = pick(random, [...ledger.objects.keys()]);
  if (key === undefined) return;
  const expected = ledger.objects.get(key)!;
  const out = await world.s3.getObject({ Bucket: world.bucket, Key: key });
  const got = Buffer.from(await out.Body.transformToByteArray());
  if (!got.equals(expected)) ledger.wrong(`s3 ${key}`);
};

const s3Delete: Operation = async (world, ledger, random) => {
  const key = pick(random, [...ledger.objects.keys()]);
  if (key === undefined) return;
  ledger.objects.delete(key);
  await world.s3.deleteObject({ Bucket: world.bucket, Key: key });
};

const sqsSend: Operation = async (world, ledger, random, n) => {
  const body = `m${n}-${textOf(random, random() < 0.3 ? 6000 : 200)}`;
  ledger.everSent.add(body);
  try {
    await world.queue.send(body);
    if (!ledger.received.has(body)) ledger.sent.add(body);
  } catch (error) {
    if (outcomeUnknown(error)) ledger.maybeSent.add(body);
    throw error;
  }
};

const sqsSendBatch: Operation = async (world, ledger, random, n) => {
  const bodies = [0, 1, 2].map((i) => `b${n}.${i}-${textOf(random, random() < 0.3 ? 5000 : 100)}`);
  bodies.forEach((body) => ledger.everSent.add(body));
  const result = await world.queue.sendBatch(bodies.map((body, i) => ({ id: `e${i}`, body })));
  for (const ok of result.successful) {
    const body = bodies[Number(ok.id.slice(1))]!;
    if (!ledger.received.has(body)) ledger.sent.add(body);
  }
  for (const bad of result.failed) if (outcomeUnknown(bad.error)) ledger.maybeSent.add(bodies[Number(bad.id.slice(1))]!);
  if (result.failed[0]) throw result.failed[0].error;
};

const sqsReceive: Operation = async (world, ledger) => {
  const messages = await world.queue.receive({ maxMessages: 5, waitSeconds: 0, visibilityTimeout: 3 });
  for (const message of messages) {
    if (!ledger.everSent.has(message.body)) ledger.wrong('sqs body');
    ledger.received.add(message.body);
    ledger.sent.delete(message.body);
    await world.queue.delete(message.receiptHandle);
  }
};

const ddbPut: Operation = async (world, ledger, random, n) => {
  const pk = `item-${n}`;
  const value = textOf(random, 50);
  await written(ledger.items, ledger.maybeItems, pk, value, () => world.items.put({ pk, value }));
};

const ddbGet: Operation = async (world, ledger, random) => {
  const pk = pick(random, [...ledger.items.keys()]);
  if (pk === undefined) return;
  const item = await world.items.get({ pk });
  if (item?.['value'] !== ledger.items.get(pk)) ledger.wrong(`dynamodb ${pk}`);
};

const ddbBatchWrite: Operation = async (world, ledger, random, n) => {
  const puts = [0, 1, 2, 3].map((i) => ({ pk: `batch-${n}-${i}`, value: textOf(random, 40) }));
  const out = await world.items.batchWrite({ put: puts });
  const unprocessed = new Set<unknown>(out.unprocessedPuts.map((item): unknown => item['pk']));
  for (const item of puts) if (!unprocessed.has(item.pk)) ledger.items.set(item.pk, item.value);
};

const envelopeRoundTrip: Operation = async (world, ledger, random) => {
  const plaintext = bytesOf(random, 100);
  const sealed = await world.envelope.encrypt(plaintext, { context: { purpose: 'chaos' } });
  const { plaintext: back } = await world.envelope.decrypt(sealed);
  if (!Buffer.from(back).equals(plaintext)) ledger.wrong('envelope');
};

/** The mix: weights sum to 100. */
export const OPERATIONS: ReadonlyArray<[string, number, Operation]> = [
  ['s3.put', 16, s3Put],
  ['s3.get', 14, s3Get],
  ['s3.delete', 4, s3Delete],
  ['sqs.send', 16, sqsSend],
  ['sqs.sendBatch', 5, sqsSendBatch],
  ['sqs.receive', 15, sqsReceive],
  ['dynamodb.put', 12, ddbPut],
  ['dynamodb.get', 10, ddbGet],
  ['dynamodb.batchWrite', 3, ddbBatchWrite],
  ['envelope', 5, envelopeRoundTrip],
];

/** The operation the seeded draw `x` (in [0, 1)) picks. */
export function chooseOperation(x: number): [string, Operation] {
  let left = x * 100;
  for (const [name, weight, operation] of OPERATIONS) {
    if (left < weight) return [name, operation];
    left -= weight;
  }
  const last = OPERATIONS[OPERATIONS.length - 1]!;
  return [last[0], last[2]];
}
