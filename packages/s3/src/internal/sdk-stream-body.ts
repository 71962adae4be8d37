import { Readable } from 'node:stream';
import { invalidArgument } from './errors.js';

/**
 * A decrypted body: a Node Readable with the AWS SDK v3 `SdkStreamMixin` helpers.
 *
 * @example
 * ```ts
 * const { Body } = await s3.getObject({ Bucket, Key });
 * await pipeline(Body, createWriteStream(path));
 * ```
 */
export type DecryptedBody = Readable & {
  /** Reads the whole (verified) plaintext. */
  transformToByteArray(): Promise<Uint8Array>;
  /** Reads the whole plaintext as text (UTF-8 unless another encoding is given). */
  transformToString(encoding?: BufferEncoding): Promise<string>;
  /** The body as a web ReadableStream. */
  transformToWebStream(): ReadableStream<Uint8Array>;
};

async function collect(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Adds the SDK's body helpers to a Readable, so callers keep the code they use with the plain S3 client. */
export function withSdkStreamMixin(stream: Readable): DecryptedBody {
  let consumed = false;
  const once = (): void => {
    if (consumed) throw invalidArgument('The body stream has already been consumed.');
    consumed = true;
  };
  return Object.assign(stream, {
    async transformToByteArray(): Promise<Uint8Array> {
      once();
      return new Uint8Array(await collect(stream));
    },
    async transformToString(encoding: BufferEncoding = 'utf8'): Promise<string> {
      once();
      return (await collect(stream)).toString(encoding);
    },
    transformToWebStream(): ReadableStream<Uint8Array> {
      once();
      return Readable.toWeb(stream);
    },
  });
}
