import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { GetItemCommand, PutItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PhisealError, type Envelope } from '@phiseal/core';

/**
 * Where a run keeps its position: a file path, or a DynamoDB table (`{ tableName }`, with a
 * string partition key `id`) for runs without a shared disk (Lambda, several hosts).
 * @example
 * ```ts
 * const checkpoint: CheckpointLocation = './patients.checkpoint';
 * ```
 */
export type CheckpointLocation = string | { readonly tableName: string; readonly id?: string };

/** A loaded and saved checkpoint: the run's position, sealed (it names record keys). */
export type CheckpointStore = {
  load(): Promise<Record<string, unknown> | undefined>;
  save(state: Record<string, unknown>): Promise<void>;
  /** The path or table that `resumedFrom` names. */
  readonly where: string;
};

const PURPOSE = { purpose: 'phiseal-migrate-checkpoint' };

// A checkpoint holds the key of the last record done, and a key may be one the guard refused
// (it stays where it is): so the position is sealed under the run's own envelope, never
// written in the clear. The target name is kept in the clear to refuse a mismatched resume.
type Sealed = { version: 1; kind: string; target: string; sealed: string };

async function seal(envelope: Envelope, kind: string, target: string, state: Record<string, unknown>): Promise<string> {
  const json = JSON.stringify(state, (_k, v: unknown) => (v instanceof Uint8Array ? { $b64: Buffer.from(v).toString('base64') } : v));
  const body: Sealed = { version: 1, kind, target, sealed: await envelope.encryptToString(json, { context: { ...PURPOSE, kind } }) };
  return JSON.stringify(body);
}

async function unseal(envelope: Envelope, kind: string, target: string, text: string): Promise<Record<string, unknown>> {
  let body: Partial<Sealed>;
  try {
    body = JSON.parse(text) as Partial<Sealed>;
  } catch {
    throw new PhisealError('INVALID_ARGUMENT', 'The checkpoint is not a phiseal migration checkpoint.');
  }
  if (body.version !== 1 || body.kind !== kind || typeof body.sealed !== 'string') throw new PhisealError('INVALID_ARGUMENT', 'The checkpoint is not a phiseal migration checkpoint of this kind.');
  if (body.target !== target) throw new PhisealError('INVALID_ARGUMENT', 'The checkpoint belongs to another table or bucket.');
  const { plaintext } = await envelope.decrypt(body.sealed, { context: { ...PURPOSE, kind } });
  return JSON.parse(Buffer.from(plaintext).toString('utf8'), (_k, v: unknown) =>
    typeof v === 'object' && v !== null && typeof (v as { $b64?: unknown }).$b64 === 'string' ? Uint8Array.from(Buffer.from((v as { $b64: string }).$b64, 'base64')) : v,
  ) as Record<string, unknown>;
}

/** Writes `text` to `path` atomically: a 0600 temporary file beside it, fsynced, renamed into place. */
async function writeAtomically(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await open(temp, 'wx', 0o600);
  try {
    await handle.writeFile(text, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/** The store for `location`; saves are serialized (the last state wins, none interleave). */
export function checkpointStore(location: CheckpointLocation, envelope: Envelope, kind: string, target: string, client?: DynamoDBClient): CheckpointStore {
  let chain: Promise<void> = Promise.resolve();
  const serial = (write: () => Promise<void>): Promise<void> => (chain = chain.then(write, write));
  if (typeof location === 'string') {
    return {
      where: location,
      async load() {
        const text = await readFile(location, 'utf8').catch((error: NodeJS.ErrnoException) => (error.code === 'ENOENT' ? undefined : Promise.reject(error)));
        return text === undefined ? undefined : unseal(envelope, kind, target, text);
      },
      save: (state) => serial(async () => writeAtomically(location, await seal(envelope, kind, target, state))),
    };
  }
  if (client === undefined) throw new PhisealError('INVALID_CONFIGURATION', 'A checkpoint table needs a DynamoDB client.');
  const id = location.id ?? `${kind}:${target}`;
  return {
    where: `dynamodb:${location.tableName}/${id}`,
    async load() {
      const out = await client.send(new GetItemCommand({ TableName: location.tableName, Key: { id: { S: id } }, ConsistentRead: true }));
      const text = out.Item?.['checkpoint']?.S;
      return text === undefined ? undefined : unseal(envelope, kind, target, text);
    },
    save: (state) =>
      serial(async () => {
        const text = await seal(envelope, kind, target, state);
        await client.send(new PutItemCommand({ TableName: location.tableName, Item: { id: { S: id }, checkpoint: { S: text } } }));
      }),
  };
}
