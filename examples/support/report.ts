// What an example stored, as AWS holds it: read back with plain AWS SDK clients (no
// phiseal) so that `phiseal demo` and the standalone runs can show ciphertext, not
// plaintext, and prove it by searching the stored bytes for every PHI value the example wrote.
import type { Readable } from 'node:stream';

/** One thing an example stored, as read back raw. */
export type StoredRecord = {
  service: 'DynamoDB' | 'SQS' | 'S3';
  /** Table and key, queue and message, bucket and key. */
  location: string;
  /** What was looked at (an attribute, a message body, an object). */
  what: string;
  /** Stored length in bytes. */
  bytes: number;
  /** The first stored bytes: text as it is, binary as hex. */
  prefix: string;
  /** Whether any PHI value the example wrote occurs in the stored bytes. */
  plaintextFound: boolean;
};

/** What an example's `run` returns. */
export type ExampleReport = {
  example: string;
  stored: StoredRecord[];
  /** How many PHI values were searched for in every stored record. */
  phiValuesChecked: number;
};

const PREFIX_BYTES = 24;

function prefixOf(bytes: Uint8Array): string {
  const head = Buffer.from(bytes.subarray(0, PREFIX_BYTES));
  const printable = head.every((b) => b >= 0x20 && b < 0x7f);
  const shown = printable ? head.toString('latin1') : head.toString('hex').replace(/(..)/g, '$1 ').trim();
  return bytes.length > PREFIX_BYTES ? `${shown} …` : shown;
}

/** A stored record from bytes (or text) read back raw, searched for each PHI value. */
export function inspectStored(
  record: Pick<StoredRecord, 'service' | 'location' | 'what'>,
  stored: Uint8Array | string,
  phiValues: readonly string[],
): StoredRecord {
  const bytes = typeof stored === 'string' ? Buffer.from(stored, 'utf8') : Buffer.from(stored.buffer, stored.byteOffset, stored.byteLength);
  return {
    ...record,
    bytes: bytes.length,
    prefix: prefixOf(bytes),
    plaintextFound: phiValues.some((v) => bytes.includes(Buffer.from(v, 'utf8'))),
  };
}

/**
 * Like {@link inspectStored} for a large stored object read as a stream: searches chunk by
 * chunk, carrying the last bytes over so a value split across two chunks is still found.
 */
export async function inspectStoredStream(
  record: Pick<StoredRecord, 'service' | 'location' | 'what'>,
  stream: Readable,
  phiValues: readonly string[],
): Promise<StoredRecord> {
  const needles = phiValues.map((v) => Buffer.from(v, 'utf8'));
  const overlap = Math.max(0, ...needles.map((n) => n.length)) - 1;
  let head = Buffer.alloc(0);
  let tail = Buffer.alloc(0);
  let bytes = 0;
  let found = false;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    if (head.length < PREFIX_BYTES + 1) head = Buffer.concat([head, chunk.subarray(0, PREFIX_BYTES + 1)]);
    const window = Buffer.concat([tail, chunk]);
    found ||= needles.some((n) => window.includes(n));
    tail = window.subarray(Math.max(0, window.length - overlap));
    bytes += chunk.length;
  }
  return { ...record, bytes, prefix: prefixOf(head).replace(/ …$/, bytes > PREFIX_BYTES ? ' …' : ''), plaintextFound: found };
}

/** Throws when any stored record shows plaintext: the examples double as checks in CI. */
export function assertNoPlaintext(report: ExampleReport): ExampleReport {
  const leaked = report.stored.filter((r) => r.plaintextFound);
  if (leaked.length > 0) throw new Error(`${report.example}: plaintext found in ${leaked.map((r) => r.location).join(', ')}`);
  return report;
}
