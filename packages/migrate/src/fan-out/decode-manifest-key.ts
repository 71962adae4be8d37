// Object keys in S3 Batch Operations tasks, S3 Batch Operations CSV manifests and S3
// Inventory CSV files are URL-encoded: `+` stands for a space, `%XX` for one byte of the
// key's UTF-8 (S3 User Guide, batch-ops-invoke-lambda: "keys from S3 Batch Operations are
// URL encoded"; storage-inventory: "the key name is URL-encoded"). AWS's own examples decode
// them with Python's `unquote_plus`. This is the same decoding, but strict: a stray `%` or a
// byte sequence that is not UTF-8 fails rather than being guessed at, so a mangled key never
// names some other object.

const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const encoder = new TextEncoder();
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

function hexValue(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  if (code >= 0x41 && code <= 0x46) return code - 0x37;
  if (code >= 0x61 && code <= 0x66) return code - 0x57;
  return -1;
}

/**
 * Decodes a URL-encoded object key (`+` is a space, `%XX` a UTF-8 byte; other characters
 * stand for themselves).
 * @returns the key, or `undefined` when the text is not a valid encoding (a `%` without two
 * hex digits, bytes that are not UTF-8, an empty key).
 * @throws never
 * @example
 * ```ts
 * decodeManifestKey('scans/2024/chest+x-ray%2B%C3%A9.dcm'); // 'scans/2024/chest x-ray+é.dcm'
 * decodeManifestKey('bad%zz');                               // undefined
 * ```
 */
export function decodeManifestKey(encoded: string): string | undefined {
  // A lone surrogate has no UTF-8: refuse it rather than let the encoder substitute U+FFFD.
  if (LONE_SURROGATE.test(encoded)) return undefined;
  if (!encoded.includes('%')) return encoded.length > 0 ? encoded.replaceAll('+', ' ') : undefined;
  const bytes: number[] = [];
  for (let i = 0; i < encoded.length; ) {
    const char = encoded[i]!;
    if (char === '%') {
      const high = hexValue(encoded.charCodeAt(i + 1));
      const low = hexValue(encoded.charCodeAt(i + 2));
      if (high < 0 || low < 0) return undefined;
      bytes.push(high * 16 + low);
      i += 3;
    } else {
      const codePoint = encoded.codePointAt(i)!;
      const text = String.fromCodePoint(codePoint);
      for (const byte of encoder.encode(char === '+' ? ' ' : text)) bytes.push(byte);
      i += text.length;
    }
  }
  try {
    const key = decoder.decode(new Uint8Array(bytes));
    return key.length > 0 ? key : undefined;
  } catch {
    return undefined;
  }
}
