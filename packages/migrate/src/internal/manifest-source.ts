import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { PhisealError } from '@phiseal/core';
import { decodeManifestKey } from '../fan-out/decode-manifest-key.js';
import { csvFields } from './csv.js';

/** One manifest row: the key to migrate, or why the row names none (a value-free reason). */
export type ManifestRow = { key: string } | { skip: 'noncurrent' } | { invalid: string };

/** Where a manifest is read from: an `s3://bucket/key` URL or a local path. */
function parseLocation(where: string): { bucket: string; key: string } | { path: string } {
  const m = /^s3:\/\/([^/]+)\/(.+)$/.exec(where);
  return m ? { bucket: m[1] as string, key: m[2] as string } : { path: where };
}

async function openStream(client: S3Client, where: { bucket: string; key: string } | { path: string }): Promise<Readable> {
  if ('path' in where) return createReadStream(where.path);
  const out = await client.send(new GetObjectCommand({ Bucket: where.bucket, Key: where.key }));
  return out.Body as Readable;
}

async function readText(client: S3Client, where: { bucket: string; key: string } | { path: string }): Promise<string> {
  if ('path' in where) return readFile(where.path, 'utf8');
  const out = await client.send(new GetObjectCommand({ Bucket: where.bucket, Key: where.key }));
  return (await out.Body?.transformToString('utf8')) ?? '';
}

type Schema = { bucket: number; key: number; isLatest: number; isDeleteMarker: number };

/** The data files of a manifest: an S3 Inventory manifest.json lists several, a CSV manifest is one. */
export async function manifestFiles(client: S3Client, manifest: string): Promise<{ files: { bucket: string; key: string }[] | { path: string }[]; schema: Schema; gzip: boolean[] }> {
  const where = parseLocation(manifest);
  if (!manifest.endsWith('manifest.json')) {
    // A Batch Operations CSV manifest: Bucket,Key[,VersionId], keys URL-encoded.
    return { files: [where] as { path: string }[], schema: { bucket: 0, key: 1, isLatest: -1, isDeleteMarker: -1 }, gzip: [manifest.endsWith('.gz')] };
  }
  let doc: { destinationBucket?: unknown; fileFormat?: unknown; fileSchema?: unknown; files?: unknown };
  try {
    doc = JSON.parse(await readText(client, where)) as typeof doc;
  } catch {
    throw new PhisealError('INVALID_ARGUMENT', 'The S3 Inventory manifest is not JSON.');
  }
  if (doc.fileFormat !== 'CSV' || typeof doc.fileSchema !== 'string' || !Array.isArray(doc.files)) {
    throw new PhisealError('INVALID_ARGUMENT', 'Only CSV S3 Inventory reports are read (fileFormat CSV, fileSchema, files).');
  }
  const columns = doc.fileSchema.split(',').map((c) => c.trim());
  const schema: Schema = { bucket: columns.indexOf('Bucket'), key: columns.indexOf('Key'), isLatest: columns.indexOf('IsLatest'), isDeleteMarker: columns.indexOf('IsDeleteMarker') };
  if (schema.bucket < 0 || schema.key < 0) throw new PhisealError('INVALID_ARGUMENT', 'The inventory schema has no Bucket and Key columns.');
  const destination = typeof doc.destinationBucket === 'string' ? doc.destinationBucket.replace(/^arn:aws[a-z-]*:s3:::/, '') : undefined;
  const files = (doc.files as { key?: unknown }[]).map((f) => {
    if (typeof f?.key !== 'string') throw new PhisealError('INVALID_ARGUMENT', 'An inventory file entry has no key.');
    // Data files sit beside manifest.json's bucket when read locally (a downloaded inventory).
    if ('path' in where) return { path: `${where.path.slice(0, where.path.lastIndexOf('/') + 1)}${f.key.split('/').pop() ?? ''}` };
    return { bucket: destination ?? where.bucket, key: f.key };
  });
  return { files: files as { bucket: string; key: string }[], schema, gzip: files.map(() => true) };
}

/** Rows of one data file, decoded, from line `skip` on. */
export async function* manifestRows(client: S3Client, file: { bucket: string; key: string } | { path: string }, gzip: boolean, schema: Schema, bucket: string, skip: number): AsyncGenerator<ManifestRow> {
  const raw = await openStream(client, file);
  const lines = createInterface({ input: gzip ? raw.pipe(createGunzip()) : raw, crlfDelay: Infinity });
  let n = 0;
  for await (const line of lines) {
    if (n++ < skip) continue;
    if (line.trim() === '') {
      yield { invalid: 'EMPTY_ROW' };
      continue;
    }
    const fields = csvFields(line);
    const rawKey = fields?.[schema.key];
    if (fields === undefined || rawKey === undefined) {
      yield { invalid: 'MALFORMED_ROW' };
      continue;
    }
    if (schema.isDeleteMarker >= 0 && fields[schema.isDeleteMarker]?.toLowerCase() === 'true') yield { skip: 'noncurrent' };
    else if (schema.isLatest >= 0 && fields[schema.isLatest]?.toLowerCase() === 'false') yield { skip: 'noncurrent' };
    else if (fields[schema.bucket] !== bucket) yield { invalid: 'OTHER_BUCKET' };
    else {
      const key = decodeManifestKey(rawKey);
      yield key === undefined ? { invalid: 'INVALID_KEY_ENCODING' } : { key };
    }
  }
}
