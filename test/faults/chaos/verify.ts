// After the faults stop: everything acknowledged is stored and right, and what the queue
// holds is only what was sent.
import { setTimeout } from 'node:timers/promises';
import type { Ledger } from './ledger.js';
import type { World } from './world.js';

const QUIET_MS = 6_000;

/** Reads back every acknowledged object and item, and drains the queue. */
export async function verifyWorld(world: World, ledger: Ledger): Promise<void> {
  for (const [key, body] of ledger.objects) {
    const out = await world.direct.s3.getObject({ Bucket: world.bucket, Key: key }).catch(() => undefined);
    const got = out ? Buffer.from(await out.Body.transformToByteArray()) : undefined;
    if (!got) ledger.lost(`s3 ${key}`);
    else if (!got.equals(body)) ledger.wrong(`s3 ${key} after the run`);
  }
  for (const [key, body] of ledger.maybeObjects) {
    const out = await world.direct.s3.getObject({ Bucket: world.bucket, Key: key }).catch(() => undefined);
    // A write reported as possibly done: absent, or whole and right.
    if (out && !Buffer.from(await out.Body.transformToByteArray()).equals(body)) ledger.wrong(`s3 ${key} (unknown outcome)`);
  }
  for (const [pk, value] of ledger.items) {
    const item = await world.direct.items.get({ pk });
    if (item === undefined) ledger.lost(`dynamodb ${pk}`);
    else if (item['value'] !== value) ledger.wrong(`dynamodb ${pk} after the run`);
  }
  // A message whose receive answer was lost in the run stays in flight for that receive's
  // visibility timeout (3 s), and moto can answer an empty poll at once: poll until nothing has
  // arrived for twice that, or such a message is counted as lost while it is on its way back.
  let lastSeen = Date.now();
  while (Date.now() - lastSeen < QUIET_MS) {
    const messages = await world.direct.queue.receive({ maxMessages: 10, waitSeconds: 1, visibilityTimeout: 5 });
    if (messages.length > 0) lastSeen = Date.now();
    else await setTimeout(250);
    for (const message of messages) {
      if (!ledger.everSent.has(message.body)) ledger.wrong('sqs body after the run');
      ledger.received.add(message.body);
      ledger.sent.delete(message.body);
      await world.direct.queue.delete(message.receiptHandle);
    }
  }
  for (const body of ledger.sent) ledger.lost(`sqs ${body.slice(0, body.indexOf('-'))}`);
}
