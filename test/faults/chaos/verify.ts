// After the faults stop: everything acknowledged is stored and right, and what the queue
// holds is only what was sent.
import type { Ledger } from './ledger.js';
import type { World } from './world.js';

/** Reads back every acknowledged object and item, and drains the queue. */
export async function verifyWorld(world: World, ledger: Ledger): Promise<void> {
  for (const [key, body] of ledger.objects) {
    const out = await world.direct.s3.getObject({ Bucket: world.bucket, Key: key }).catch(() => undefined);
    const got = out ? Buffer.from(await out.Body.transformToByteArray()) : undefined;
    if (!got) ledger.report.defects.lostAcknowledged++;
    else if (!got.equals(body)) ledger.wrong(`s3 ${key} after the run`);
  }
  for (const [key, body] of ledger.maybeObjects) {
    const out = await world.direct.s3.getObject({ Bucket: world.bucket, Key: key }).catch(() => undefined);
    // A write reported as possibly done: absent, or whole and right.
    if (out && !Buffer.from(await out.Body.transformToByteArray()).equals(body)) ledger.wrong(`s3 ${key} (unknown outcome)`);
  }
  for (const [pk, value] of ledger.items) {
    const item = await world.direct.items.get({ pk });
    if (item === undefined) ledger.report.defects.lostAcknowledged++;
    else if (item['value'] !== value) ledger.wrong(`dynamodb ${pk} after the run`);
  }
  let empty = 0;
  while (empty < 3) {
    const messages = await world.direct.queue.receive({ maxMessages: 10, waitSeconds: 1, visibilityTimeout: 5 });
    if (messages.length === 0) empty++;
    for (const message of messages) {
      if (!ledger.everSent.has(message.body)) ledger.wrong('sqs body after the run');
      ledger.sent.delete(message.body);
      await world.direct.queue.delete(message.receiptHandle);
    }
  }
  ledger.report.defects.lostAcknowledged += ledger.sent.size;
}
