// Where an unfinished Scan segment continues is the last item's key, and a table's keys may
// be PHI (a migration meets tables that were never guarded). The continuation travels through
// Step Functions (its execution history, the map's results), which store it in the clear,
// so it is sealed under the table's envelope, bound to the table and segment by the
// encryption context, as the migration's checkpoints are.
import type { Envelope } from '@phiseal/core';

type WireKey = Record<string, Record<string, unknown>>;

const PURPOSE = 'phiseal-migrate-continuation';

// DynamoDB key attributes are S, N or B; B travels as base64 inside the sealed JSON.
function toJson(key: Record<string, unknown>): string {
  const out: Record<string, Record<string, string>> = {};
  for (const [name, value] of Object.entries(key as WireKey)) {
    const [type, inner] = Object.entries(value)[0] ?? [];
    if (type === 'B' && inner instanceof Uint8Array) out[name] = { B: Buffer.from(inner).toString('base64') };
    else if ((type === 'S' || type === 'N') && typeof inner === 'string') out[name] = { [type]: inner };
    else throw new TypeError('not a DynamoDB key');
  }
  return JSON.stringify(out);
}

function fromJson(text: string): Record<string, unknown> {
  const parsed = JSON.parse(text) as Record<string, Record<string, string>>;
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(parsed)) {
    out[name] = typeof value['B'] === 'string' ? { B: new Uint8Array(Buffer.from(value['B'], 'base64')) } : value;
  }
  return out;
}

const contextOf = (table: string, segment: number, totalSegments: number) => ({
  purpose: PURPOSE,
  table,
  segment: String(segment),
  totalSegments: String(totalSegments),
});

/**
 * Seals a segment's `LastEvaluatedKey` (wire form) into an opaque token.
 * @throws {@link PhisealError} as `envelope.encryptToString`; `TypeError` for a key that is no DynamoDB key.
 * @example
 * ```ts
 * const token = await sealStartKey(table.envelope, table.tableName, 3, 8, lastEvaluatedKey);
 * ```
 */
export async function sealStartKey(envelope: Envelope, table: string, segment: number, totalSegments: number, key: Record<string, unknown>): Promise<string> {
  return envelope.encryptToString(toJson(key), { context: contextOf(table, segment, totalSegments) });
}

/**
 * Opens a token of {@link sealStartKey} for the same table and segment.
 * @throws {@link PhisealError} `DECRYPTION_FAILED`/`MALFORMED_CIPHERTEXT` for a token that is not one (or is another table's or segment's).
 * @example
 * ```ts
 * const startKey = await openStartKey(table.envelope, table.tableName, 3, 8, token);
 * ```
 */
export async function openStartKey(envelope: Envelope, table: string, segment: number, totalSegments: number, token: string): Promise<Record<string, unknown>> {
  const { plaintext } = await envelope.decrypt(token, { context: contextOf(table, segment, totalSegments) });
  return fromJson(Buffer.from(plaintext).toString('utf8'));
}
