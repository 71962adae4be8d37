import { createCipheriv } from 'node:crypto';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { PhisealError, type Envelope } from '@phiseal/core';
import { setAttribute, type AttributeMap } from '../attribute-codec.js';
import { serializeAttribute, type Terminal } from './attribute-serialization.js';
import { canonicalPath, compareCanonical } from './canonical-path.js';
import { commitKeyOf, fieldKeys, fieldRootKey } from './field-keys.js';
import { encryptionMaterials } from './data-keys.js';
import { newSigner, signHash } from './ecdsa.js';
import { aadOf, itemContext, PUBLIC_KEY_KEY, serializeContext } from './encryption-context.js';
import { canonicalHash, recipientTag, type SignedField } from './footer.js';
import { commitment, LEGEND_CONTEXT, LEGEND_ENCRYPT, LEGEND_SIGN, serializePartialHeader } from './header.js';
import { FOOTER_ATTRIBUTE, HEADER_ATTRIBUTE, RESERVED_PREFIX, type CryptoAction, type DbeSchema } from './item-schema.js';
import { destroyHmacKey } from './hmac.js';
import { newMessageId } from './message-id.js';
import { TAG_BYTES } from './suites.js';

// Encrypt Structure for one DynamoDB item (structured-encryption/encrypt-structure.md,
// dynamodb-encryption-client/encrypt-item.md): serialize the signed attributes, derive the
// context, get data keys, encrypt ENCRYPT_AND_SIGN attributes with per-field keys, write the
// committed header and the footer over the canonical record.

type Field = { name: string; path: Buffer; action: Exclude<CryptoAction, 'plain'>; terminal: Terminal; stored: AttributeValue };

const LEGEND: Record<Field['action'], number> = { encrypt: LEGEND_ENCRYPT, sign: LEGEND_SIGN, 'sign-in-context': LEGEND_CONTEXT };

const invalid = (why: string, attribute?: string): PhisealError =>
  new PhisealError('INVALID_ARGUMENT', why, attribute === undefined ? undefined : { details: { attribute } });

function collectFields(schema: DbeSchema, item: AttributeMap): Field[] {
  const fields: Field[] = [];
  for (const name of Object.keys(item)) {
    if (name.startsWith(RESERVED_PREFIX)) throw invalid(`Attribute names starting with "${RESERVED_PREFIX}" are reserved by the DB-ESDK format.`, name);
    const action = schema.actionOf(name);
    if (action === 'plain') continue;
    fields.push({ name, path: canonicalPath(schema.logicalTableName, name), action, terminal: serializeAttribute(item[name]!), stored: item[name]! });
  }
  return fields.sort((a, b) => compareCanonical(a.path, b.path));
}

function contextTerminals(schema: DbeSchema, fields: readonly Field[]): Map<string, Terminal> {
  const present = new Set(fields.map((f) => f.name));
  const required = schema.version === 1 ? [schema.partitionKey, ...(schema.sortKey === undefined ? [] : [schema.sortKey])] : schema.contextAttributes;
  for (const name of required) {
    if (!present.has(name)) throw invalid(`The item lacks attribute "${name}" (a key attribute or one configured as sign-in-context).`, name);
  }
  // Version 1 binds the key values; version 2 every sign-in-context attribute of the item.
  const bound = schema.version === 1 ? fields.filter((f) => required.includes(f.name)) : fields.filter((f) => f.action === 'sign-in-context');
  return new Map(bound.map((f) => [f.name, f.terminal]));
}

// Stored binaries are plain Uint8Arrays (a Buffer serializes to JSON as { type, data }).
const plain = (b: Buffer): Uint8Array => new Uint8Array(b.buffer, b.byteOffset, b.length);

function encryptField(keys: ReturnType<typeof fieldKeys>, ordinal: number, f: Field): Buffer {
  const { key, nonce } = keys.at(ordinal);
  try {
    const cipher = createCipheriv('aes-256-gcm', key, nonce);
    cipher.setAAD(f.path);
    const body = cipher.update(f.terminal.value);
    cipher.final(); // GCM adds no bytes here
    // Stored form: type id, ciphertext, tag.
    const out = Buffer.allocUnsafe(2 + body.length + TAG_BYTES);
    out.writeUInt16BE(f.terminal.typeId, 0);
    out.set(body, 2);
    cipher.getAuthTag().copy(out, 2 + body.length);
    return out;
  } finally {
    f.terminal.value.fill(0); // the serialized plaintext
  }
}

/**
 * Encrypts and signs `item` for `schema`; returns the stored item and the key id used.
 * @throws {@link PhisealError} INVALID_ARGUMENT (reserved name, missing key or context
 * attribute, invalid value), and what `envelope.dataKey` throws.
 * @example
 * ```ts
 * const { item: stored } = await encryptStructure(schema, envelope, item);
 * ```
 */
export async function encryptStructure(schema: DbeSchema, envelope: Envelope, item: AttributeMap): Promise<{ item: AttributeMap; keyId: string }> {
  const fields = collectFields(schema, item);
  const { logicalTableName, partitionKey, sortKey, version } = schema;
  const ec = itemContext({ logicalTableName, partitionKey, sortKey, version, terminals: contextTerminals(schema, fields) }) as Record<string, string>;
  const signer = schema.suite.signed ? newSigner() : undefined;
  if (signer) ec[PUBLIC_KEY_KEY] = signer.publicKeyText;
  const context = serializeContext(ec);
  const m = await encryptionMaterials(envelope, ec, aadOf(context));
  const messageId = newMessageId();
  const root = fieldRootKey(m.prk, messageId);
  const commitKey = commitKeyOf(m.prk, messageId);
  destroyHmacKey(m.prk);
  const keys = fieldKeys(root, fields.filter((f) => f.action === 'encrypt').length);
  try {
    const out: AttributeMap = {};
    for (const name of Object.keys(item)) setAttribute(out, name, item[name]!);
    const signed: SignedField[] = [];
    let ordinal = 0;
    for (const f of fields) {
      if (f.action === 'encrypt') {
        const value = encryptField(keys, ordinal++, f);
        out[f.name] = { B: plain(value) };
        signed.push({ path: f.path, encrypted: true, typeId: 0xffff, value });
      } else signed.push({ path: f.path, encrypted: false, typeId: f.terminal.typeId, value: f.terminal.value });
    }
    const partial = serializePartialHeader({
      version: schema.version,
      suite: schema.suite,
      messageId,
      legend: Buffer.from(fields.map((f) => LEGEND[f.action])),
      storedContext: signer ? { [PUBLIC_KEY_KEY]: signer.publicKeyText } : {},
      dataKeys: m.dataKeys,
    });
    const header = Buffer.concat([partial, commitment(commitKey, partial)]);
    const hash = canonicalHash([header], context, signed);
    const tags = m.tagKeys.map((k) => recipientTag(k, hash));
    const footer = Buffer.concat(signer ? [...tags, signHash(signer, hash)] : tags);
    out[HEADER_ATTRIBUTE] = { B: plain(header) };
    out[FOOTER_ATTRIBUTE] = { B: plain(footer) };
    return { item: out, keyId: m.keyId };
  } finally {
    root.fill(0);
    keys.stream.fill(0);
    commitKey.fill(0);
    for (const k of m.tagKeys) destroyHmacKey(k);
  }
}
