// Compact key-id encoding. A KMS key ARN is 75 ASCII bytes; stored as partition, region,
// account (40-bit integer) and the 16-byte key UUID it takes about 33. This is most of
// why a phiseal message is far smaller than an AWS Encryption SDK message (docs/format.md).
import { byteWriter, fromUtf8, strictUtf8, utf8, type ByteReader, type ByteWriter } from './bytes.js';
import { malformed } from './failures.js';

const FORM_UTF8 = 0;
const FORM_KMS_ARN = 1;
const FORM_KMS_MRK_ARN = 2;

const ARN = /^arn:([a-z-]{1,32}):kms:([a-z0-9-]{1,32}):(\d{12}):key\/(mrk-)?([0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}|[0-9a-f]{32})$/;

function uuidBytes(id: string): Buffer | undefined {
  const hex = id.replace(/-/g, '');
  return hex.length === 32 ? Buffer.from(hex, 'hex') : undefined;
}

function formatUuid(bytes: Buffer): string {
  const h = bytes.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

function decodeCompact(form: number, partition: string, region: string, account: Buffer, key: Buffer): string {
  const accountId = String(account.readUIntBE(0, 5)).padStart(12, '0');
  const keyPart = form === FORM_KMS_MRK_ARN ? `mrk-${key.toString('hex')}` : formatUuid(key);
  return `arn:${partition}:kms:${region}:${accountId}:key/${keyPart}`;
}

function tryCompact(keyId: string): Buffer | undefined {
  const m = ARN.exec(keyId);
  if (!m) return undefined;
  const [, partition, region, account, mrk, id] = m;
  const key = uuidBytes(id!);
  if (!key) return undefined;
  const form = mrk ? FORM_KMS_MRK_ARN : FORM_KMS_ARN;
  const accountBytes = Buffer.alloc(5);
  accountBytes.writeUIntBE(Number(account), 0, 5);
  // Only use the compact form when it reproduces the exact string (case, dashes).
  if (decodeCompact(form, partition!, region!, accountBytes, key) !== keyId) return undefined;
  const w = byteWriter();
  w.u8(form);
  w.u8(partition!.length);
  w.bytes(utf8(partition!));
  w.u8(region!.length);
  w.bytes(utf8(region!));
  w.bytes(accountBytes);
  w.bytes(key);
  return w.finish();
}

export function writeKeyId(w: ByteWriter, keyId: string): void {
  const compact = tryCompact(keyId);
  if (compact) {
    w.bytes(compact);
    return;
  }
  w.u8(FORM_UTF8);
  w.block16(strictUtf8(keyId, 'a key id'));
}

export function readKeyId(r: ByteReader): string {
  const form = r.u8();
  if (form === FORM_UTF8) {
    const keyId = fromUtf8(r.block16());
    // An id the compact forms reproduce exactly is always written compact: form 0 for it
    // would be a second encoding of the same list.
    if (tryCompact(keyId) !== undefined) throw malformed();
    return keyId;
  }
  if (form !== FORM_KMS_ARN && form !== FORM_KMS_MRK_ARN) throw malformed();
  const partition = fromUtf8(r.bytes(r.u8()));
  const region = fromUtf8(r.bytes(r.u8()));
  const account = r.bytes(5);
  const key = r.bytes(16);
  const keyId = decodeCompact(form, partition, region, account, key);
  // Reject non-canonical encodings so every key id has exactly one stored form.
  if (tryCompact(keyId)?.[0] !== form) throw malformed();
  return keyId;
}
