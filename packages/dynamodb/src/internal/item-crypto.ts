import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { createCipheriv, createDecipheriv, createHmac, timingSafeEqual } from 'node:crypto';
import { PhisealError } from '@phiseal/core';
import { decodeValue, setAttribute, writeValue, type AttributeMap } from './attribute-codec.js';
import { createByteWriter } from './byte-writer.js';
import { decryptionFailed } from './failures.js';
import { encodeHeaderBody, sortLegend, TAG_BYTES, type ItemHeader, type LegendEntry } from './header.js';
import { attributeKey, itemPrk, signingKey } from './item-keys.js';
import { HEADER_ATTRIBUTE, RESERVED_PREFIX } from './reserved.js';

// The pure item transform with a raw data key: no KMS, no cache, no I/O. encrypt-item.ts
// supplies the key through the envelope; the known-answer vectors call this directly.

/** What the transform needs to know about a table. */
export type ItemSchema = {
  readonly tableName: string;
  readonly partitionKey: string;
  readonly sortKey: string | undefined;
  /** The configured action of an attribute (keys answer `sign`). */
  actionOf(name: string): 'encrypt' | 'sign' | 'plain';
};

// One scratch writer per purpose, reused across values: the code using them is synchronous,
// and each is wiped (it held plaintext) right after its bytes are consumed.
const plaintextScratch = createByteWriter(4096);
const tagScratch = createByteWriter(4096);

const TAG_DOMAIN = Buffer.from('phiseal.dynamodb.v1 tag\0', 'utf8');
// Each attribute key encrypts exactly one value, so a fixed nonce is safe (as in the AWS
// Encryption SDK's per-message derived keys); a new item id means new keys.
const ZERO_IV = Buffer.alloc(12);
const GCM_TAG = 16;

// Stored values are plain Uint8Array views (no copy), as the SDK itself returns Binary values.
const plainBytes = (b: Buffer): Uint8Array => new Uint8Array(b.buffer, b.byteOffset, b.byteLength);

/**
 * The tag input and the tag: HMAC-SHA256(signKey, domain | table | header body | (name, canonical value) per legend entry).
 * @throws PhisealError DECRYPTION_FAILED when a legend attribute is missing from the item.
 * @example
 * ```ts
 * const tag = computeTag(signKey, 'patients', body, legend, stored);
 * ```
 */
export function computeTag(
  signKey: Uint8Array,
  tableName: string,
  headerBody: Uint8Array,
  legend: readonly LegendEntry[],
  item: AttributeMap,
): Buffer {
  const w = tagScratch;
  w.wipe();
  try {
    w.bytes(TAG_DOMAIN);
    w.string(tableName);
    w.lengthPrefixed(headerBody);
    for (const entry of legend) {
      const value = item[entry.name];
      if (value === undefined) throw decryptionFailed();
      w.string(entry.name);
      writeValue(w, value, 'canonical');
    }
    return createHmac('sha256', signKey).update(w.finish()).digest();
  } finally {
    w.wipe();
  }
}

function encryptValue(prk: Uint8Array, name: string, value: AttributeValue): Uint8Array {
  const w = plaintextScratch;
  w.wipe();
  writeValue(w, value, 'exact');
  const plaintext = w.finish();
  const key = attributeKey(prk, name);
  try {
    const cipher = createCipheriv('aes-256-gcm', key, ZERO_IV);
    // One output buffer: ciphertext (same length as plaintext) then the 16-byte tag.
    const out = new Uint8Array(plaintext.length + GCM_TAG);
    out.set(cipher.update(plaintext), 0);
    cipher.final();
    out.set(cipher.getAuthTag(), plaintext.length);
    return out;
  } finally {
    key.fill(0);
    w.wipe();
  }
}

function decryptValue(prk: Uint8Array, name: string, stored: Uint8Array): AttributeValue {
  if (stored.length < GCM_TAG + 1) throw decryptionFailed();
  const key = attributeKey(prk, name);
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, ZERO_IV);
    decipher.setAuthTag(stored.subarray(stored.length - GCM_TAG));
    const plain = decipher.update(stored.subarray(0, stored.length - GCM_TAG));
    decipher.final(); // throws unless the GCM tag verifies
    try {
      return decodeValue(plain);
    } finally {
      plain.fill(0);
    }
  } catch {
    throw decryptionFailed();
  } finally {
    key.fill(0);
  }
}

/**
 * Encrypts and signs `item` (already checked against the schema) with `dataKey`.
 * `extraSigned` (beacons) are added as signed attributes. Returns the stored item.
 * @throws PhisealError INVALID_ARGUMENT for reserved names or unknown value members.
 * @example
 * ```ts
 * const stored = sealItem(item, {}, schema, dataKey, wrappedKeys, itemId);
 * ```
 */
export function sealItem(
  item: AttributeMap,
  extraSigned: AttributeMap,
  schema: ItemSchema,
  dataKey: Uint8Array,
  wrappedKeys: Uint8Array,
  itemId: Uint8Array,
): AttributeMap {
  const prk = itemPrk(dataKey, itemId);
  try {
    const out: AttributeMap = {};
    const legend: LegendEntry[] = [];
    for (const name of Object.keys(item)) {
      if (name.startsWith(RESERVED_PREFIX)) {
        throw new PhisealError('INVALID_ARGUMENT', `Attribute names starting with "${RESERVED_PREFIX}" are reserved by phiseal.`);
      }
      const value = item[name] as AttributeValue;
      const action = schema.actionOf(name);
      if (action === 'encrypt') {
        setAttribute(out, name, { B: encryptValue(prk, name, value) });
        legend.push({ name, encrypted: true });
      } else {
        setAttribute(out, name, value);
        if (action === 'sign') legend.push({ name, encrypted: false });
      }
    }
    for (const [name, value] of Object.entries(extraSigned)) {
      setAttribute(out, name, value);
      legend.push({ name, encrypted: false });
    }
    const sorted = sortLegend(legend);
    const body = encodeHeaderBody(itemId, wrappedKeys, sorted);
    const signKey = signingKey(prk);
    let tag: Buffer;
    try {
      tag = computeTag(signKey, schema.tableName, body, sorted, out);
    } finally {
      signKey.fill(0);
    }
    out[HEADER_ATTRIBUTE] = { B: plainBytes(Buffer.concat([body, tag])) };
    return out;
  } finally {
    prk.fill(0);
  }
}

/**
 * Verifies and decrypts a stored item whose header is `header`. Returns the user's item
 * (no reserved attributes).
 * @throws PhisealError DECRYPTION_FAILED for any mismatch.
 * @example
 * ```ts
 * const item = openItem(stored, parseHeader(stored.phiseal_h.B)!, schema, dataKey);
 * ```
 */
export function openItem(stored: AttributeMap, header: ItemHeader, schema: ItemSchema, dataKey: Uint8Array): AttributeMap {
  const inLegend = new Map<string, boolean>();
  for (const entry of header.legend) inLegend.set(entry.name, entry.encrypted);
  // The primary key is always signed: an item copied to another key must not verify.
  if (inLegend.get(schema.partitionKey) !== false) throw decryptionFailed();
  if (schema.sortKey !== undefined && inLegend.get(schema.sortKey) !== false) throw decryptionFailed();
  for (const name of Object.keys(stored)) {
    if (name === HEADER_ATTRIBUTE || inLegend.has(name)) continue;
    // An unsigned attribute is acceptable only where the configuration says `plain`;
    // anything else was added after signing.
    if (name.startsWith(RESERVED_PREFIX) || schema.actionOf(name) !== 'plain') throw decryptionFailed();
  }
  for (const entry of header.legend) {
    const value = stored[entry.name];
    if (typeof value !== 'object' || value === null) throw decryptionFailed();
    if (entry.encrypted && !(value.B instanceof Uint8Array)) throw decryptionFailed();
  }
  const prk = itemPrk(dataKey, header.itemId);
  try {
    const signKey = signingKey(prk);
    let expected: Buffer;
    try {
      expected = computeTag(signKey, schema.tableName, header.body, header.legend, stored);
    } catch {
      // A stored value that cannot be encoded (wrong member types) does not verify.
      throw decryptionFailed();
    } finally {
      signKey.fill(0);
    }
    if (header.tag.length !== TAG_BYTES || !timingSafeEqual(expected, header.tag)) throw decryptionFailed();
    const out: AttributeMap = {};
    for (const [name, value] of Object.entries(stored)) {
      if (name.startsWith(RESERVED_PREFIX)) continue;
      setAttribute(out, name, inLegend.get(name) === true ? decryptValue(prk, name, value.B as Uint8Array) : value);
    }
    return out;
  } finally {
    prk.fill(0);
  }
}
