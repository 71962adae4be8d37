// @phiseal/s3: S3 Encryption Client objects (V3 and V2; content metadata in the object's
// metadata or in an instruction file), read through the same steps as getObject: S3EC
// entries, instruction file (64 KiB limit, strict JSON), content metadata, exact context,
// key unwrap and commitment, then the GCM body. The samples are real objects written to the
// emulator by encryptedS3; the mutations run on their stored form (metadata map, body,
// instruction file), without a round trip per input. User metadata is unauthenticated by
// design, so the samples carry none.
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { createEnvelope, LocalKeyProvider, PhisealError, type Envelope } from '@phiseal/core';
import { encryptedS3 } from '@phiseal/s3';
import { createBucket, s3Client } from '@phiseal/test-support';
import { openBytes } from '../../../packages/s3/src/internal/content-seal.js';
import { mergeInstructionFile, parseInstructionFile } from '../../../packages/s3/src/internal/instruction-file.js';
import { readMaterials } from '../../../packages/s3/src/internal/materials.js';
import { decodeContentMetadata, needsInstructionFile, s3ecEntries } from '../../../packages/s3/src/internal/metadata-decode.js';
import type { Doc, FuzzTarget, Sample } from '../harness.js';

const CONTEXT = { tenant: 'clinic-a' };
const MAX_INSTRUCTION_FILE_BYTES = 64 * 1024;

const asText = (v: Doc | undefined): string | undefined =>
  typeof v === 'string' ? v : v instanceof Uint8Array ? Buffer.from(v).toString('latin1') : v === undefined || v === null ? undefined : JSON.stringify(v);
const asBytes = (v: Doc | undefined): Uint8Array => (v instanceof Uint8Array ? v : Buffer.from(asText(v) ?? '', 'latin1'));

/** S3 stores metadata as lower-cased string keys and values; anything else cannot be stored. */
function storedMetadata(doc: Doc | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (typeof doc !== 'object' || doc === null || doc instanceof Uint8Array || Array.isArray(doc)) return out;
  for (const [key, value] of Object.entries(doc)) out[key.toLowerCase()] = asText(value) ?? '';
  return out;
}

export const targets: readonly FuzzTarget[] = [
  (() => {
    let envelope: Envelope | undefined;
    return {
      name: 's3-object',
      description: 'S3 Encryption Client objects (V3/V2, metadata or instruction file): metadata decode, instruction file, context, unwrap, body',
      needsEmulator: true,
      ciCount: 250,
      async samples() {
        envelope = createEnvelope({ keys: new LocalKeyProvider({ keyId: 'fuzz', key: new Uint8Array(32).fill(0x19) }) });
        const bucket = await createBucket();
        const raw = s3Client();
        const out: Sample[] = [];
        const body = new TextEncoder().encode('MRN 448812: chest x-ray, no findings');
        for (const [format, instructionFile] of [['v3', false], ['v2', false], ['v3', true], ['v2', true]] as const) {
          const key = `fuzz/${format}-${String(instructionFile)}`;
          const s3 = encryptedS3({ client: raw, envelope, format, instructionFile, ...(format === 'v2' ? { commitmentPolicy: 'forbid-encrypt-allow-decrypt' as const } : {}) });
          await s3.putObject({ Bucket: bucket, Key: key, Body: body, context: CONTEXT });
          const object = await raw.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
          const input: Record<string, Doc> = { metadata: { ...(object.Metadata ?? {}) }, body: await object.Body!.transformToByteArray() };
          if (instructionFile) {
            const instruction = await raw.send(new GetObjectCommand({ Bucket: bucket, Key: `${key}.instruction` }));
            input['instruction'] = await instruction.Body!.transformToString();
          }
          out.push({ label: `${format}${instructionFile ? '-instruction-file' : ''}`, input, expected: { plaintext: body } });
        }
        return out;
      },
      async open(input) {
        const doc = (typeof input === 'object' && input !== null && !Array.isArray(input) && !(input instanceof Uint8Array) ? input : {}) as Record<string, Doc>;
        let entries = s3ecEntries(storedMetadata(doc['metadata']));
        if (needsInstructionFile(entries)) {
          const instruction = doc['instruction'];
          const bytes = asBytes(instruction);
          if (instruction === undefined || bytes.length > MAX_INSTRUCTION_FILE_BYTES) throw new PhisealError('MALFORMED_CIPHERTEXT', 'no instruction file');
          entries = mergeInstructionFile(parseInstructionFile(bytes), entries);
        }
        const meta = decodeContentMetadata(entries);
        const content = await readMaterials(envelope!, 'require-encrypt-allow-decrypt', meta, CONTEXT);
        return { plaintext: new Uint8Array(openBytes(content, asBytes(doc['body']))) };
      },
      close: () => envelope?.destroy(),
    } satisfies FuzzTarget;
  })(),
];
