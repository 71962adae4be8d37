import { createDecipheriv } from 'node:crypto';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { Envelope } from '@phiseal/core';
import { checkAttributeValue, checkedType, setAttribute, type AttributeMap } from '../attribute-codec.js';
import { isWellFormed, requireWellFormed } from '../well-formed.js';
import { decryptionFailed, malformedHeader } from '../failures.js';
import { deserializeAttribute } from './attribute-deserialization.js';
import { serializeAttribute, type Terminal } from './attribute-serialization.js';
import { readPlan } from './field-plan.js';
import { withDecryptionMaterials, type DecryptionMaterials } from './data-keys.js';
import { verifyHash } from './ecdsa.js';
import { aadOf, isRequiredKey, itemContext, PUBLIC_KEY_KEY, serializeContext } from './encryption-context.js';
import { commitKeyOf, fieldKeys, fieldRootKey, type FieldKeys } from './field-keys.js';
import { anyTagMatches, canonicalHash, parseFooter, type ParsedFooter, type SignedField } from './footer.js';
import { commitmentMatches, LEGEND_CONTEXT, LEGEND_ENCRYPT, parseHeader, type ParsedHeader } from './header.js';
import { FOOTER_ATTRIBUTE, HEADER_ATTRIBUTE, RESERVED_PREFIX, type DbeSchema } from './item-schema.js';
import { TAG_BYTES } from './suites.js';
import { TYPE_B, TYPE_S } from './type-ids.js';

// Decrypt Structure for one stored item (structured-encryption/decrypt-structure.md,
// dynamodb-encryption-client/decrypt-item.md). Which attributes are signed follows from the
// table's signature scope, what each one is from the header's legend; the context is rebuilt
// from the item, the data key unwrapped under it, then the commitment, the recipient tag and
// (0x6701) the signature are checked before any attribute is decrypted. Every failure is the
// same DECRYPTION_FAILED.

type StoredField = { name: string; path: Buffer; legend: number; value: AttributeValue };

// Exactly { B }: a second member would ride along unauthenticated (issue #11, defect 2).
// A copy, or a view when the caller uses the bytes before its next await.
function binary(v: AttributeValue | undefined, copy = true): Buffer | undefined {
  if (v === undefined) return undefined;
  try {
    if (checkedType(v) !== 'B') return undefined;
  } catch {
    return undefined;
  }
  const b = v.B!;
  return copy ? Buffer.from(b) : Buffer.from(b.buffer, b.byteOffset, b.byteLength);
}

// Every attribute, signed or not, nested values included, has exactly one member, and every
// name is well-formed Unicode: what the application reads is what was (or was not) signed.
export function checkShapes(item: AttributeMap): void {
  try {
    for (const name of Object.keys(item)) {
      requireWellFormed(name, 'An attribute name');
      checkAttributeValue(item[name]!);
    }
  } catch (error) {
    throw decryptionFailed(error);
  }
}

export function signedFields(schema: DbeSchema, item: AttributeMap, header: ParsedHeader): StoredField[] {
  const { fields } = readPlan(schema, item);
  // A signed attribute added or removed since encryption changes the count.
  if (fields.length !== header.legend.length) throw decryptionFailed();
  return fields.map((f, i) => ({ name: f.name, path: f.path, legend: header.legend[i]!, value: item[f.name]! }));
}

function terminalOf(v: AttributeValue): Terminal {
  // A string (keys, ids: most signed attributes) is its UTF-8 bytes: no shared writer and no
  // copy out of it. Anything else, a lone surrogate included, takes the serializer (and its refusal).
  const s = v.S;
  if (typeof s === 'string' && isWellFormed(s)) return { typeId: TYPE_S, value: Buffer.from(s, 'utf8') };
  try {
    return serializeAttribute(v);
  } catch (error) {
    throw decryptionFailed(error);
  }
}

// `signed[i]` is `fields[i]` as stored (plain ones serialized once, for the context and the footer).
export function contextOf(
  schema: DbeSchema,
  header: ParsedHeader,
  fields: readonly StoredField[],
  signed: readonly SignedField[] = storedSigned(fields),
): Record<string, string> {
  const terminals = new Map<string, Terminal>();
  const names =
    header.version === 1
      ? [schema.partitionKey, ...(schema.sortKey === undefined ? [] : [schema.sortKey])]
      : fields.filter((f) => f.legend === LEGEND_CONTEXT).map((f) => f.name);
  for (const name of names) {
    // A linear search: a handful of names among a few dozen fields, no index built per item.
    const i = fields.findIndex((f) => f.name === name);
    const s = i < 0 ? undefined : signed[i]!;
    if (!s || s.encrypted) throw decryptionFailed();
    // A plain field's value is its terminal's Buffer (terminalOf).
    const value = Buffer.isBuffer(s.value) ? s.value : Buffer.from(s.value.buffer, s.value.byteOffset, s.value.byteLength);
    terminals.set(name, { typeId: s.typeId, value });
  }
  const { logicalTableName, partitionKey, sortKey } = schema;
  const ec = itemContext({ logicalTableName, partitionKey, sortKey, version: header.version, terminals }) as Record<string, string>;
  for (const [key, value] of Object.entries(header.storedContext)) {
    // The header may only add what the item cannot reproduce (the ECDSA public key).
    if (isRequiredKey(key) || Object.prototype.hasOwnProperty.call(ec, key)) throw decryptionFailed();
    ec[key] = value;
  }
  if (header.suite.signed !== (ec[PUBLIC_KEY_KEY] !== undefined)) throw decryptionFailed();
  return ec;
}

// The caller ran checkShapes. `inPlace`: encrypted values are read without a copy, for a caller that hashes and decrypts
// them in one synchronous stretch (so the footer check and the decryption see the same bytes).
export function storedSigned(fields: readonly StoredField[], inPlace = false): SignedField[] {
  return fields.map((f) => {
    if (f.legend === LEGEND_ENCRYPT) {
      // checkShapes ran: the value has exactly one member of the right JavaScript type, so an own `B` is it.
      const b = Object.hasOwn(f.value, 'B') ? f.value.B : undefined;
      if (!(b instanceof Uint8Array) || b.length < 2 + TAG_BYTES) throw decryptionFailed();
      const value = inPlace ? b : Buffer.from(b);
      return { path: f.path, encrypted: true, typeId: TYPE_B, value };
    }
    const t = terminalOf(f.value);
    return { path: f.path, encrypted: false, typeId: t.typeId, value: t.value };
  });
}

function decryptField(keys: FieldKeys, ordinal: number, path: Buffer, value: Uint8Array): AttributeValue {
  try {
    const decipher = createDecipheriv('aes-256-gcm', keys.key(ordinal), keys.nonce(ordinal));
    decipher.setAAD(path);
    const end = value.length - TAG_BYTES;
    decipher.setAuthTag(value.subarray(end));
    const plain = decipher.update(value.subarray(2, end));
    try {
      decipher.final(); // GCM: verifies the tag, adds no bytes
      return deserializeAttribute((value[0]! << 8) | value[1]!, plain);
    } finally {
      plain.fill(0);
    }
  } catch (error) {
    throw decryptionFailed(error);
  }
}

export function parse(item: AttributeMap): { header: ParsedHeader; footer: Buffer } {
  // Views: parseHeader and parseFooter copy what they keep.
  const head = binary(item[HEADER_ATTRIBUTE], false);
  const footer = binary(item[FOOTER_ATTRIBUTE], false);
  if (!head || !footer) throw malformedHeader();
  try {
    return { header: parseHeader(head), footer };
  } catch {
    throw malformedHeader();
  }
}

// Checks the commitment, the recipient tag and (0x6701) the signature, then decrypts every
// encrypted attribute; runs synchronously with the lent keys `m`.
function open(item: AttributeMap, header: ParsedHeader, footer: ParsedFooter, context: Buffer, ec: Record<string, string>, fields: readonly StoredField[], signed: readonly SignedField[], m: DecryptionMaterials): AttributeMap {
  const commitKey = commitKeyOf(m.prk, header.messageId);
  const root = fieldRootKey(m.prk, header.messageId);
  let keys: FieldKeys | undefined;
  try {
    if (!commitmentMatches(commitKey, header)) throw decryptionFailed();
    const hash = canonicalHash([header.partial, header.commitment], context, signed);
    if (!anyTagMatches(footer.tags, m.tagKey, hash)) throw decryptionFailed();
    if (footer.signature && !verifyHash(ec[PUBLIC_KEY_KEY]!, hash, footer.signature)) throw decryptionFailed();
    const out: AttributeMap = {};
    for (const name of Object.keys(item)) {
      if (name.startsWith(RESERVED_PREFIX)) continue;
      setAttribute(out, name, item[name]!);
    }
    let encrypted = 0;
    for (const s of signed) if (s.encrypted) encrypted++;
    keys = fieldKeys(root, encrypted);
    let ordinal = 0;
    for (let i = 0; i < signed.length; i++) {
      const s = signed[i]!;
      if (s.encrypted) out[fields[i]!.name] = decryptField(keys, ordinal++, s.path, s.value);
    }
    return out;
  } finally {
    keys?.stream.fill(0);
    commitKey.fill(0);
    root.fill(0);
  }
}

/**
 * Verifies and decrypts a stored item; returns the plaintext item (without aws_dbe_*
 * attributes) and the key id that unwrapped its data key.
 * @throws {@link PhisealError} MALFORMED_CIPHERTEXT (no or unparsable header), DECRYPTION_FAILED,
 * and what `envelope.unwrapDataKey` throws (KEY_NOT_ALLOWED, KMS_UNAVAILABLE, KMS_KEY_UNUSABLE).
 * @example
 * ```ts
 * const { item } = await decryptStructure(schema, envelope, stored);
 * ```
 */
export async function decryptStructure(schema: DbeSchema, envelope: Envelope, item: AttributeMap): Promise<{ item: AttributeMap; keyId: string }> {
  const { header, footer: footerBytes } = parse(item);
  checkShapes(item);
  const fields = signedFields(schema, item, header);
  // Encrypted values are read in place (no copy): the footer check and the decryption both
  // run after the data key, in one synchronous stretch, so they see the same bytes.
  const signed = storedSigned(fields, true);
  const ec = contextOf(schema, header, fields, signed);
  let footer: ParsedFooter;
  let context: Buffer;
  try {
    footer = parseFooter(footerBytes, header.dataKeys.length, header.suite.signed);
    context = serializeContext(ec);
  } catch (error) {
    throw decryptionFailed(error);
  }
  // `return await`: an async function returning a promise costs two more microtask turns.
  return await withDecryptionMaterials(envelope, header.dataKeys, ec, aadOf(context), (m) => ({
    item: open(item, header, footer, context, ec, fields, signed, m),
    keyId: m.keyId,
  }));
}
