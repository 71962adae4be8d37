// An imaging archive on S3: a large study streamed from its source to S3 with
// @phiseal/s3's multipart `upload`, encrypted on the way in constant memory (S3 Encryption
// Client V3 format, readable by the official clients), with progress; then read back and
// verified by hash while streaming.
//
//   pnpm exec tsx examples/imaging-archive.ts     (embedded default, or real AWS: see README)
//   PHISEAL_IMAGING_MIB=200 pnpm exec tsx examples/imaging-archive.ts
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { GetObjectCommand, HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { createEnvelope } from '@phiseal/core';
import { encryptedS3 } from '@phiseal/s3';
import type { Environment } from './support/embedded.js';
import { assertNoPlaintext, inspectStoredStream, type ExampleReport } from './support/report.js';
import { createBucket, deleteBucket, exampleName } from './support/resources.js';
import { isMain, runStandalone } from './support/standalone.js';

const MiB = 1024 * 1024;
const PATIENT = { name: 'DOE^JANE', mrn: 'MRN-448812', birthDate: '19840312' };

/**
 * A study as a modality would stream it: a header naming the patient, then pixel data.
 * Generated on the fly (nothing on disk) and hashed as it goes, for the round-trip check.
 */
function studyStream(bytes: number, hash: ReturnType<typeof createHash>): Readable {
  const header = Buffer.from(`DICM PatientName=${PATIENT.name} PatientID=${PATIENT.mrn} PatientBirthDate=${PATIENT.birthDate} Modality=MR\n`);
  let sent = 0;
  return new Readable({
    read() {
      if (sent >= bytes) return void this.push(null);
      const chunk = sent === 0 ? Buffer.concat([header, randomBytes(MiB - header.length)]) : randomBytes(Math.min(MiB, bytes - sent));
      const piece = chunk.subarray(0, Math.min(chunk.length, bytes - sent));
      sent += piece.length;
      hash.update(piece);
      this.push(piece);
    },
  });
}

export async function run(env: Environment, options: { sizeMiB?: number } = {}): Promise<ExampleReport> {
  const size = (options.sizeMiB ?? Number(process.env['PHISEAL_IMAGING_MIB'] ?? 40)) * MiB;
  const client = new S3Client(env.aws);
  const bucket = exampleName('imaging');
  await createBucket(client, bucket);
  const envelope = createEnvelope({ keys: env.keys });
  try {
    const archive = encryptedS3({ client, envelope });
    // Object keys are stored in the clear: a study UUID, never a name or an MRN.
    const key = `studies/${randomUUID()}/series-1.dcm`;
    const context = { archive: 'imaging' };
    const uploaded = createHash('sha256');
    let lastLogged = 0;
    const started = Date.now();
    const out = await archive.upload({
      Bucket: bucket,
      Key: key,
      Body: studyStream(size, uploaded),
      ContentType: 'application/dicom',
      Metadata: { modality: 'MR' },
      context,
      onProgress: ({ loadedBytes }) => {
        if (loadedBytes - lastLogged >= 8 * MiB || loadedBytes === size) {
          lastLogged = loadedBytes;
          env.log(`uploaded ${(loadedBytes / MiB).toFixed(0).padStart(4)} / ${size / MiB} MiB`);
        }
      },
    });
    const seconds = (Date.now() - started) / 1000;
    env.log(`stored s3://${bucket}/${key}: ${out.parts} parts, ${(size / MiB / seconds).toFixed(1)} MiB/s, encrypted on the client`);

    // Read back, decrypted and authenticated as it streams; compare hashes.
    const object = await archive.getObject({ Bucket: bucket, Key: key, context });
    const downloaded = createHash('sha256');
    for await (const chunk of object.Body as AsyncIterable<Uint8Array>) downloaded.update(chunk);
    if (downloaded.digest('hex') !== uploaded.digest('hex')) throw new Error('the study did not round-trip');
    env.log(`read back and verified (SHA-256 of ${size / MiB} MiB matches)`);

    // What S3 holds, read with a plain client: the object and its metadata.
    const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    env.log(`S3 metadata: ${Object.keys(head.Metadata ?? {}).sort().join(', ')}`);
    const raw = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    const phiValues = Object.values(PATIENT);
    const stored = [await inspectStoredStream({ service: 'S3', location: `${bucket}/${key}`, what: 'object' }, raw.Body as Readable, phiValues)];
    return assertNoPlaintext({ example: 'imaging-archive', stored, phiValuesChecked: phiValues.length });
  } finally {
    envelope.destroy();
    await deleteBucket(client, bucket);
  }
}

if (isMain(import.meta.url)) await runStandalone(run);
