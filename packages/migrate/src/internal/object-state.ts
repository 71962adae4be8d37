import { HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { isMissing } from './failure.js';

// S3 Encryption Client mapkeys (spec data-format/content-metadata.md): data keys, and every
// other entry a V1/V2/V3 object or instruction file may carry.
const DATA_KEYS = ['x-amz-key', 'x-amz-key-v2', 'x-amz-3'];
const FORMAT_KEYS = new Set([...DATA_KEYS, 'x-amz-iv', 'x-amz-cek-alg', 'x-amz-wrap-alg', 'x-amz-matdesc', 'x-amz-tag-len', 'x-amz-c', 'x-amz-w', 'x-amz-m', 'x-amz-t', 'x-amz-d', 'x-amz-i']);
const INSTRUCTION_MARKER = 'x-amz-crypto-instr-file';

/** What a stored object is: see objectState. */
export type ObjectState = 'plaintext' | 'encrypted' | 'tampered' | 'instruction-file';

/**
 * Classifies an object by its user metadata and, when the metadata holds no data key, by
 * whether `<key>.instruction` exists: no S3EC entry and no instruction file is plaintext;
 * a data key in metadata, or an instruction file, is encrypted; S3EC entries without a data
 * key and without an instruction file are tampering (never plaintext).
 */
export async function objectState(client: S3Client, bucket: string, key: string, metadata: Record<string, string> | undefined): Promise<ObjectState> {
  const names = Object.keys(metadata ?? {}).map((n) => n.toLowerCase().replace(/^x-amz-meta-/, ''));
  if (names.includes(INSTRUCTION_MARKER)) return 'instruction-file';
  if (names.some((n) => DATA_KEYS.includes(n))) return 'encrypted';
  const partial = names.some((n) => FORMAT_KEYS.has(n));
  const instruction = await instructionFileExists(client, bucket, key);
  if (instruction) return 'encrypted';
  return partial ? 'tampered' : 'plaintext';
}

async function instructionFileExists(client: S3Client, bucket: string, key: string): Promise<boolean> {
  try {
    await client.send(new HeadObjectCommand({ Bucket: bucket, Key: `${key}.instruction` }));
    return true;
  } catch (error) {
    if (isMissing(error)) return false;
    throw error;
  }
}
