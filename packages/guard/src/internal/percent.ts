/** A value with its percent-escapes decoded, and where each decoded character came from. */
export type Decoded = {
  text: string;
  /** `at[k]`: offset in the value of decoded character `k`; `at[text.length]` = the value's length. */
  at: Int32Array;
};

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  const l = c | 32;
  return l >= 97 && l <= 102 ? l - 87 : -1;
}

/** The character `%XY` at `i` stands for, when it is printable ASCII other than `%`; else -1. */
function escapeAt(value: string, i: number): number {
  if (value.charCodeAt(i) !== 37 || i + 2 >= value.length) return -1;
  const hi = hexValue(value.charCodeAt(i + 1));
  const lo = hexValue(value.charCodeAt(i + 2));
  if (hi < 0 || lo < 0) return -1;
  const c = hi * 16 + lo;
  // `%25` (`%` itself) stays encoded: decoding once must not create a new escape.
  return c >= 32 && c <= 126 && c !== 37 ? c : -1;
}

/**
 * URLs and URL-encoded keys carry text percent-encoded (RFC 3986 section 2.1):
 * `patients/Manley,%20Beatrice`, `r/509%2075%208387`. The detectors read ASCII text, so such a
 * value is read a second time decoded. Only printable ASCII escapes are decoded, once; the
 * offsets map back to the value so findings point at the encoded text. Undefined when the
 * value holds no such escape (the common case costs one `indexOf`).
 */
export function decodePercent(value: string): Decoded | undefined {
  let i = value.indexOf('%');
  while (i >= 0 && escapeAt(value, i) < 0) i = value.indexOf('%', i + 1);
  if (i < 0) return undefined;
  const at = new Int32Array(value.length + 1);
  let text = value.slice(0, i);
  for (let k = 0; k < i; k++) at[k] = k;
  let n = i;
  while (i < value.length) {
    const c = escapeAt(value, i);
    at[n++] = i;
    if (c >= 0) {
      text += String.fromCharCode(c);
      i += 3;
    } else {
      text += value.charAt(i);
      i++;
    }
  }
  at[n] = value.length;
  return { text, at: at.subarray(0, n + 1) };
}
