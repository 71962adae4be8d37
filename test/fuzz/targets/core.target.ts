// @phiseal/core: envelope messages (AWS Encryption SDK v2 and phiseal compact; binary and
// string form) and streams, under a local key.
import { Readable } from 'node:stream';
import { createEnvelope, LocalKeyProvider, type Envelope } from '@phiseal/core';
import type { Doc, FuzzTarget, Sample } from '../harness.js';

const CONTEXT = { tenant: 'clinic-a', purpose: 'fuzz' };
const PLAINTEXTS = [new Uint8Array(0), new TextEncoder().encode('MRN 448812 glucose 5.4'), Uint8Array.from({ length: 300 }, (_, i) => (i * 7) & 0xff)];

function envelope(): Envelope {
  return createEnvelope({ keys: new LocalKeyProvider({ keyId: 'fuzz', key: new Uint8Array(32).fill(0x5a) }) });
}

type Opened = { plaintext: Uint8Array; context: Record<string, string> };

function messageTarget(name: string, form: 'binary' | 'string', format: 'esdk' | 'compact'): FuzzTarget {
  let env: Envelope | undefined;
  return {
    name,
    description: `core envelope message (${format}), ${form} form (decrypt), with an encryption context`,
    async samples() {
      env = envelope();
      const out: Sample[] = [];
      for (const [i, plaintext] of PLAINTEXTS.entries()) {
        const options = { context: CONTEXT, format };
        const input: Doc = form === 'binary' ? await env.encrypt(plaintext, options) : await env.encryptToString(plaintext, options);
        out.push({ label: `${format}-${form}-${i}`, input, expected: { plaintext, context: CONTEXT } });
      }
      return out;
    },
    async open(input) {
      if (typeof input !== 'string' && !(input instanceof Uint8Array)) throw new TypeError('not a message');
      const { plaintext, context } = await env!.decrypt(input);
      return { plaintext, context } satisfies Opened;
    },
    close: () => env?.destroy(),
  };
}

async function collect(stream: NodeJS.ReadableStream): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Uint8Array));
  return new Uint8Array(Buffer.concat(chunks));
}

function streamTarget(): FuzzTarget {
  let env: Envelope | undefined;
  return {
    name: 'core-stream',
    description: 'core framed stream (decryptStream), several frames of 1 KiB',
    ciCount: 150,
    async samples() {
      env = envelope();
      const out: Sample[] = [];
      for (const [i, plaintext] of [PLAINTEXTS[1]!, Uint8Array.from({ length: 2500 }, (_, j) => (j * 13) & 0xff)].entries()) {
        const sealed = await collect(Readable.from([Buffer.from(plaintext)]).pipe(env.encryptStream({ context: CONTEXT, frameLength: 1024 })));
        out.push({ label: `stream-${i}`, input: sealed, expected: plaintext });
      }
      return out;
    },
    async open(input) {
      if (!(input instanceof Uint8Array)) throw new TypeError('not a stream');
      const stream = env!.decryptStream();
      stream.end(Buffer.from(input));
      return collect(stream);
    },
    close: () => env?.destroy(),
  };
}

export const targets: readonly FuzzTarget[] = [
  messageTarget('core-message', 'binary', 'esdk'),
  messageTarget('core-message-string', 'string', 'esdk'),
  messageTarget('core-message-compact', 'binary', 'compact'),
  messageTarget('core-message-compact-string', 'string', 'compact'),
  streamTarget(),
];
