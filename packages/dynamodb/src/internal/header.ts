import { createByteReader, createByteWriter } from './byte-writer.js';

// The header attribute (docs/dynamodb-format.md, "Header"):
//   version u8 (1) | item id (16) | wrapped keys (u32 length + bytes) |
//   legend count u16 | legend entries (action u8, name: u16 length + UTF-8), sorted by name bytes |
//   tag (32, HMAC-SHA256)
// Everything before the tag is itself covered by the tag.

/** Format version written by this release. */
export const FORMAT_VERSION = 1;
/** Bytes of the random per-item id. */
export const ITEM_ID_BYTES = 16;
/** Bytes of the authentication tag. */
export const TAG_BYTES = 32;

/** Action codes in the legend: which signed attributes are also encrypted. */
export const LEGEND_ENCRYPT = 0x65; // 'e'
export const LEGEND_SIGN = 0x73; // 's'

/** One signed attribute of an item. */
export type LegendEntry = { readonly name: string; readonly encrypted: boolean };

/** A parsed header. `body` is every byte before the tag. */
export type ItemHeader = {
  readonly version: number;
  readonly itemId: Uint8Array;
  readonly wrappedKeys: Uint8Array;
  readonly legend: readonly LegendEntry[];
  readonly body: Uint8Array;
  readonly tag: Uint8Array;
};

/**
 * Sorts legend entries by the UTF-8 bytes of their names (the canonical order).
 * @throws never
 * @example
 * ```ts
 * sortLegend([{ name: 'b', encrypted: true }, { name: 'a', encrypted: false }]);
 * ```
 */
export function sortLegend(entries: LegendEntry[]): LegendEntry[] {
  return entries
    .map((e) => [Buffer.from(e.name, 'utf8'), e] as const)
    .sort((a, b) => Buffer.compare(a[0], b[0]))
    .map(([, e]) => e);
}

/**
 * Writes the header body (everything the tag covers) for a legend already in canonical order.
 * @throws RangeError when a name is longer than 65535 bytes or there are more than 65535 entries.
 * @example
 * ```ts
 * const body = encodeHeaderBody(itemId, wrapped, legend);
 * ```
 */
export function encodeHeaderBody(itemId: Uint8Array, wrappedKeys: Uint8Array, legend: readonly LegendEntry[]): Buffer {
  const w = createByteWriter(64 + wrappedKeys.length + legend.length * 24);
  w.u8(FORMAT_VERSION);
  w.bytes(itemId);
  w.lengthPrefixed(wrappedKeys);
  w.u16(legend.length);
  for (const entry of legend) {
    w.u8(entry.encrypted ? LEGEND_ENCRYPT : LEGEND_SIGN);
    const name = Buffer.from(entry.name, 'utf8');
    w.u16(name.length);
    w.bytes(name);
  }
  return w.finish();
}

/**
 * Parses a header attribute value. Returns `undefined` for anything malformed: unknown
 * version, truncation, trailing bytes, unknown action codes, unsorted or duplicate names.
 * @throws never (returns undefined).
 * @example
 * ```ts
 * const header = parseHeader(item.phiseal_h.B); if (!header) throw malformedHeader();
 * ```
 */
export function parseHeader(bytes: Uint8Array): ItemHeader | undefined {
  try {
    if (bytes.length < 1 + ITEM_ID_BYTES + 4 + 2 + TAG_BYTES) return undefined;
    const bodyLength = bytes.length - TAG_BYTES;
    const r = createByteReader(bytes.subarray(0, bodyLength));
    const version = r.u8();
    if (version !== FORMAT_VERSION) return undefined;
    const itemId = r.bytes(ITEM_ID_BYTES);
    const wrappedKeys = r.lengthPrefixed();
    const count = r.u16();
    const legend: LegendEntry[] = [];
    let previous: Buffer | undefined;
    for (let i = 0; i < count; i++) {
      const action = r.u8();
      if (action !== LEGEND_ENCRYPT && action !== LEGEND_SIGN) return undefined;
      const name = r.bytes(r.u16());
      // Strict order makes the encoding unique: one legend, one byte string.
      if (previous && Buffer.compare(previous, name) >= 0) return undefined;
      previous = name;
      legend.push({ name: name.toString('utf8'), encrypted: action === LEGEND_ENCRYPT });
    }
    if (r.remaining !== 0) return undefined;
    return {
      version,
      itemId,
      wrappedKeys,
      legend,
      body: bytes.subarray(0, bodyLength),
      tag: bytes.subarray(bodyLength),
    };
  } catch {
    return undefined;
  }
}
