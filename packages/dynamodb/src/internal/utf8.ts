// UTF-8 for the format's encoders. Most names, keys and values are short ASCII: copied or
// counted unit by unit they skip Buffer#write's and Buffer.byteLength's argument checks and
// native call. Anything longer or not ASCII takes Buffer's own path.

const ASCII_RUN = 256;

/**
 * Writes `value` at `at` when it is ASCII of at most 256 units (the caller checked the room)
 * and returns its length; otherwise leaves the buffer as it was and returns -1.
 * @throws never
 * @example
 * ```ts
 * const n = writeShortAscii(buf, 'patientId', at); // 9
 * ```
 */
export function writeShortAscii(buf: Buffer, value: string, at: number): number {
  const n = value.length;
  if (n > ASCII_RUN) return -1;
  for (let i = 0; i < n; i++) {
    const c = value.charCodeAt(i);
    if (c >= 0x80) {
      buf.fill(0, at, at + i); // the bytes copied so far may be plaintext
      return -1;
    }
    buf[at + i] = c;
  }
  return n;
}

/**
 * The UTF-8 length of `value` (Buffer.byteLength's answer: a lone surrogate counts as U+FFFD).
 * @throws never
 * @example
 * ```ts
 * utf8Length('é'); // 2
 * ```
 */
export function utf8Length(value: string): number {
  const n = value.length;
  if (n > ASCII_RUN) return Buffer.byteLength(value, 'utf8');
  for (let i = 0; i < n; i++) if (value.charCodeAt(i) >= 0x80) return Buffer.byteLength(value, 'utf8');
  return n;
}
