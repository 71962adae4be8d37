// The canonical path of a top-level attribute (structured-encryption/header.md "Canonical
// Path"; Paths.dfy CanonPath): UTF-8 table name, the depth as a big-endian u64 (always 1: the
// DB-ESDK encrypts whole top-level attributes), then `$`, the key length as u64 and the key.
// It is the AES-GCM AAD of an encrypted attribute and orders the legend, the field keys and
// the footer's canonical record, so an attribute cannot be moved to another name or table.

const cache = new Map<string, Map<string, Buffer>>();
const MAX_CACHED_NAMES = 4096;

/**
 * The canonical path of attribute `name` in logical table `table`.
 * The key length counts UTF-16 code units, as the Java implementation's Dafny strings do
 * (equal to the UTF-8 length for ASCII names).
 * @throws never
 * @example
 * ```ts
 * canonicalPath('patients', 'name'); // 'patients' 00..01 '$' 00..04 'name'
 * ```
 */
export function canonicalPath(table: string, name: string): Buffer {
  let byName = cache.get(table);
  if (!byName) {
    byName = new Map();
    cache.set(table, byName);
  }
  const hit = byName.get(name);
  if (hit) return hit;
  const tableBytes = Buffer.from(table, 'utf8');
  const nameBytes = Buffer.from(name, 'utf8');
  const out = Buffer.alloc(tableBytes.length + 8 + 1 + 8 + nameBytes.length);
  tableBytes.copy(out, 0);
  let pos = tableBytes.length;
  out.writeBigUInt64BE(1n, pos);
  pos += 8;
  out[pos++] = 0x24; // '$'
  out.writeBigUInt64BE(BigInt(name.length), pos);
  pos += 8;
  nameBytes.copy(out, pos);
  // Names repeat across items; a bounded cache keeps hostile item shapes from growing it.
  if (byName.size < MAX_CACHED_NAMES) byName.set(name, out);
  return out;
}

/**
 * Orders canonical paths as the DB-ESDK does: byte-wise ascending.
 * @throws never
 * @example
 * ```ts
 * entries.sort((a, b) => compareCanonical(a.path, b.path));
 * ```
 */
export function compareCanonical(a: Uint8Array, b: Uint8Array): number {
  return Buffer.compare(a, b);
}
