import { createCipheriv } from 'node:crypto';
import { PhisealError, type Envelope } from '@phiseal/core';
import { setAttribute, type AttributeMap } from '../attribute-codec.js';
import { serializeAttributes, type Terminal } from './attribute-serialization.js';
import { commitKeyOf, fieldKeys, fieldRootKey } from './field-keys.js';
import { withEncryptionMaterials } from './data-keys.js';
import { newSigner, signHash } from './ecdsa.js';
import { aadOf, itemContext, PUBLIC_KEY_KEY, serializeContext } from './encryption-context.js';
import { canonicalHash, recipientTag, type SignedField } from './footer.js';
import { writePlan, type PlannedField, type WritePlan } from './field-plan.js';
import { serializeHeader } from './header.js';
import { RESERVED_PREFIX, type DbeSchema, type FOOTER_ATTRIBUTE, type HEADER_ATTRIBUTE } from './item-schema.js';
import { newMessageId } from './message-id.js';
import { TAG_BYTES } from './suites.js';

// Encrypt Structure for one DynamoDB item (structured-encryption/encrypt-structure.md,
// dynamodb-encryption-client/encrypt-item.md): serialize the signed attributes, derive the
// context, get data keys, encrypt ENCRYPT_AND_SIGN attributes with per-field keys, write the
// committed header and the footer over the canonical record.

const invalid = (why: string, attribute?: string): PhisealError =>
  new PhisealError('INVALID_ARGUMENT', why, attribute === undefined ? undefined : { details: { attribute } });

const reserved = (name: string): PhisealError => invalid(`Attribute names starting with "${RESERVED_PREFIX}" are reserved by the DB-ESDK format.`, name);

// The signed attributes in canonical-path order, serialized into one buffer (`plaintext`, which
// the caller zeroizes: it holds the values to encrypt), and the terminals bound into the context.
function collectFields(schema: DbeSchema, item: AttributeMap): { plan: WritePlan; terminals: Terminal[]; plaintext: Buffer; bound: Map<string, Terminal> } {
  const plan = writePlan(schema, item, reserved);
  const { terminals, bytes } = serializeAttributes(plan.fields.map((f) => item[f.name]!));
  if (plan.missing !== undefined) {
    bytes.fill(0);
    throw invalid(`The item lacks attribute "${plan.missing}" (a key attribute or one configured as sign-in-context).`, plan.missing);
  }
  // The plan's fields and their terminals side by side (same index): no object per field.
  return { plan, terminals, plaintext: bytes, bound: new Map(plan.bound.map((i) => [plan.fields[i]!.name, terminals[i]!])) };
}

// A copy of the item's own attributes. Object.assign keeps the copy's properties fast: built
// by keyed stores, a copy of ~16 or more attributes turned into a dictionary (slower to add to
// and to walk, here and in the caller). It would set the prototype for an own "__proto__" and
// copy symbol keys: such items take the loop.
function copyOf(item: AttributeMap): AttributeMap {
  if (!Object.hasOwn(item, '__proto__') && Object.getOwnPropertySymbols(item).length === 0) return Object.assign({}, item);
  const out: AttributeMap = {};
  for (const name of Object.keys(item)) setAttribute(out, name, item[name]!);
  return out;
}

// Literal names (HEADER_ATTRIBUTE, FOOTER_ATTRIBUTE, checked below): the engine stores a
// property named in the source as a named store, where one named by a variable is keyed, and a
// keyed store that adds a property to an object with more than a dozen out-of-object ones
// turns it into a dictionary (every item of ~16 or more attributes was one).
const _formatNames: readonly [typeof HEADER_ATTRIBUTE, typeof FOOTER_ATTRIBUTE] = ['aws_dbe_head', 'aws_dbe_foot'];
function withFormatAttributes(out: AttributeMap, header: Uint8Array, footer: Uint8Array): void {
  out['aws_dbe_head'] = { B: header };
  out['aws_dbe_foot'] = { B: footer };
}

// Stored binaries are plain Uint8Arrays (a Buffer serializes to JSON as { type, data }).
const plain = (b: Buffer): Uint8Array => new Uint8Array(b.buffer, b.byteOffset, b.length);

// Encrypts the ENCRYPT_AND_SIGN attributes (ordinal = position among them in canonical-path
// order) into one buffer: each stored value (type id, ciphertext, tag) is a view of it. Returns
// every signed attribute as the footer's canonical record takes it.
function encryptFields(keys: ReturnType<typeof fieldKeys>, fields: readonly PlannedField[], terminals: readonly Terminal[], out: AttributeMap): SignedField[] {
  let size = 0;
  for (let i = 0; i < fields.length; i++) if (fields[i]!.action === 'encrypt') size += 2 + terminals[i]!.value.length + TAG_BYTES;
  const stored = Buffer.allocUnsafe(size); // every byte written below
  const signed: SignedField[] = [];
  let at = 0;
  let ordinal = 0;
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i]!;
    const { typeId, value } = terminals[i]!;
    if (f.action !== 'encrypt') {
      signed.push({ path: f.path, encrypted: false, typeId, value });
      continue;
    }
    const cipher = createCipheriv('aes-256-gcm', keys.key(ordinal), keys.nonce(ordinal));
    ordinal++;
    cipher.setAAD(f.path);
    const start = at;
    at = stored.writeUInt16BE(typeId, at);
    const ciphertext = cipher.update(value);
    stored.set(ciphertext, at);
    at += ciphertext.length;
    cipher.final(); // GCM adds no bytes here
    stored.set(cipher.getAuthTag(), at);
    at += TAG_BYTES;
    // One plain Uint8Array view (a Buffer serializes to JSON as { type, data }) serves both.
    const field = new Uint8Array(stored.buffer, stored.byteOffset + start, at - start);
    out[f.name] = { B: field };
    signed.push({ path: f.path, encrypted: true, typeId: 0xffff, value: field });
  }
  return signed;
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
  const { plan, terminals, plaintext, bound } = collectFields(schema, item);
  try {
    const { logicalTableName, partitionKey, sortKey, version } = schema;
    const ec = itemContext({ logicalTableName, partitionKey, sortKey, version, terminals: bound }) as Record<string, string>;
    const signer = schema.suite.signed ? newSigner() : undefined;
    if (signer) ec[PUBLIC_KEY_KEY] = signer.publicKeyText;
    const context = serializeContext(ec);
    // Everything after the data key runs in one synchronous stretch, with the lent keys.
    return await withEncryptionMaterials(envelope, ec, aadOf(context), (m) => {
      const messageId = newMessageId();
      const root = fieldRootKey(m.prk, messageId);
      const commitKey = commitKeyOf(m.prk, messageId);
      const keys = fieldKeys(root, plan.encrypted);
      try {
        const out = copyOf(item);
        const signed = encryptFields(keys, plan.fields, terminals, out);
        const { legend } = plan;
        const storedContext = signer ? { [PUBLIC_KEY_KEY]: signer.publicKeyText } : {};
        const header = serializeHeader({ version, suite: schema.suite, messageId, legend, storedContext, dataKeys: m.dataKeys }, commitKey);
        const hash = canonicalHash([header], context, signed);
        // Every recipient wraps the same intermediate key, so every tag is the same HMAC.
        const tag = recipientTag(m.tagKey, hash);
        const parts = m.dataKeys.map(() => tag);
        if (signer) parts.push(signHash(signer, hash));
        const footer = parts.length === 1 ? tag : Buffer.concat(parts);
        withFormatAttributes(out, plain(header), plain(footer));
        return { item: out, keyId: m.keyId };
      } finally {
        root.fill(0);
        keys.stream.fill(0);
        commitKey.fill(0);
      }
    });
  } finally {
    plaintext.fill(0); // the serialized values, encrypted ones included
  }
}
