// Regenerates dbesdk-java.json: items encrypted by the Java DB-ESDK 3.9.0 (test/java-peer) with a
// raw AES keyring, for the known-answer test that decrypts them without a JVM or emulator.
//   pnpm exec tsx packages/dynamodb/test/vectors/generate-java-vectors.ts
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { itemToJson, startJavaPeer, type DdbItem } from '../support/java-peer.js';
import { JAVA_ACTION } from '../support/java-actions.js';

const KEY = Buffer.alloc(32, 0x5a).toString('base64');
const keyring = { type: 'raw-aes', namespace: 'phiseal-vectors', name: 'aes-256-key-1', key: KEY };

const plaintext: DdbItem = {
  pk: { S: 'patient-1' },
  sk: { N: '20240101.5' },
  name: { S: 'Ada Lovelace ✓' },
  age: { N: '-36.250' },
  photo: { B: new Uint8Array([0, 1, 2, 255]) },
  alive: { BOOL: false },
  nothing: { NULL: true },
  tags: { SS: ['β', 'a', 'Z'] },
  scores: { NS: ['10', '-1.5', '3E2'] },
  blobs: { BS: [new Uint8Array([2]), new Uint8Array([1, 0])] },
  vitals: { M: { bp: { L: [{ N: '120' }, { N: '80' }] }, ok: { BOOL: true }, note: { S: '' }, empty: { SS: [] } } },
  visits: { L: [{ M: {} }, { L: [] }, { S: 'x' }] },
  clinic: { S: 'north' },
  region: { S: 'eu' },
  note: { S: 'plain text' },
};

const tables = [
  { id: 'v1-committing', suite: 'committing', actions: { clinic: 'sign', region: 'sign', note: 'plain' } },
  { id: 'v1-signed', suite: 'committing-signed', actions: { clinic: 'sign', region: 'sign', note: 'plain' } },
  { id: 'v2-committing', suite: 'committing', actions: { clinic: 'sign-in-context', region: 'sign', note: 'plain' } },
  { id: 'v2-signed', suite: 'committing-signed', actions: { clinic: 'sign-in-context', alive: 'sign-in-context', region: 'sign', note: 'plain' } },
] as const;

const peer = await startJavaPeer();
const vectors = [];
try {
  for (const t of tables) {
    const actions: Record<string, string> = {};
    for (const name of Object.keys(plaintext)) {
      const action = (t.actions as Record<string, string>)[name] ?? 'encrypt';
      actions[name] = JAVA_ACTION[action as keyof typeof JAVA_ACTION];
    }
    const keyAction = Object.values(t.actions).includes('sign-in-context') ? 'sign-in-context' : 'sign';
    actions['pk'] = JAVA_ACTION[keyAction];
    actions['sk'] = JAVA_ACTION[keyAction];
    const table = {
      tableName: 'vectors',
      logicalTableName: 'vectors-logical',
      partitionKey: 'pk',
      sortKey: 'sk',
      actions,
      allowedUnsignedAttributes: ['note'],
      suite: t.suite === 'committing-signed' ? 'signed' : 'committing',
    };
    await peer.ok({ op: 'config', endpoint: 'http://127.0.0.1:1', table, keyring });
    const stored = (await peer.ok({ op: 'encrypt', item: itemToJson(plaintext) }))['item'];
    vectors.push({ id: t.id, suite: t.suite, actions: t.actions, stored });
  }
} finally {
  await peer.close();
}

const out = {
  description: 'Items encrypted by the Java AWS Database Encryption SDK 3.9.0 (raw AES keyring); decrypted by known-answer.test.ts.',
  keyring: { namespace: keyring.namespace, name: keyring.name, key: KEY },
  table: { tableName: 'vectors', logicalTableName: 'vectors-logical', partitionKey: 'pk', sortKey: 'sk', allowedUnsignedAttributes: ['note'] },
  plaintext: itemToJson(plaintext),
  vectors,
};
writeFileSync(join(dirname(fileURLToPath(import.meta.url)), 'dbesdk-java.json'), `${JSON.stringify(out, null, 1)}\n`);
