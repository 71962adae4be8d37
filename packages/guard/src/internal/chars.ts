// Character classes on UTF-16 code units. The scanners work on char codes instead of
// regular expressions so every detector is a bounded, forward-only pass (no backtracking).

/** {@link CHAR_CLASS} bits: a digit, a hex digit (0-9, a-f, A-F), a letter. Zero: not ASCII alphanumeric. */
export const C_DIGIT = 1;
export const C_HEX = 2;
export const C_ALPHA = 4;

/** Classes of the ASCII code units, for loops that ask several questions of each character. */
export const CHAR_CLASS = new Uint8Array(128);
for (let c = 48; c <= 57; c++) CHAR_CLASS[c] = C_DIGIT | C_HEX;
for (let c = 65; c <= 90; c++) CHAR_CLASS[c] = C_ALPHA | (c <= 70 ? C_HEX : 0);
for (let c = 97; c <= 122; c++) CHAR_CLASS[c] = C_ALPHA | (c <= 102 ? C_HEX : 0);

/** True for ASCII 0-9. */
export function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** True for ASCII A-Z. */
export function isUpper(c: number): boolean {
  return c >= 65 && c <= 90;
}

/** True for ASCII a-z. */
export function isLower(c: number): boolean {
  return c >= 97 && c <= 122;
}

/** True for ASCII letters. */
export function isAlpha(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/** True for ASCII letters and digits. */
export function isAlnum(c: number): boolean {
  return isAlpha(c) || isDigit(c);
}

/** True for 0-9, a-f, A-F. */
export function isHex(c: number): boolean {
  return isDigit(c) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
}

/** ASCII lower-casing of one code unit. */
export function lower(c: number): number {
  return c >= 65 && c <= 90 ? c + 32 : c;
}

/** Value of a digit code unit. */
export function digitAt(value: string, i: number): number {
  return value.charCodeAt(i) - 48;
}

/** Reads `len` digits at `i` as a number (caller checked they are digits). */
export function numberAt(value: string, i: number, len: number): number {
  let n = 0;
  for (let k = 0; k < len; k++) n = n * 10 + (value.charCodeAt(i + k) - 48);
  return n;
}

/** Length of the run of digits starting at `i`. */
export function digitRun(value: string, i: number): number {
  let k = i;
  while (k < value.length && isDigit(value.charCodeAt(k))) k++;
  return k - i;
}

/** Char code at `i`, or -1 outside the string (saves bounds checks at call sites). */
export function codeAt(value: string, i: number): number {
  return i >= 0 && i < value.length ? value.charCodeAt(i) : -1;
}

/** Case-insensitive comparison of `value[i..]` with a lowercase ASCII word. */
export function matchesWord(value: string, i: number, word: string): boolean {
  if (i < 0 || i + word.length > value.length) return false;
  for (let k = 0; k < word.length; k++) {
    if (lower(value.charCodeAt(i + k)) !== word.charCodeAt(k)) return false;
  }
  return true;
}

/** True when `value[i]` continues a chain with the same separator (`-45-6789-1`). */
export function continues(value: string, i: number, sep: number): boolean {
  return codeAt(value, i) === sep && isDigit(codeAt(value, i + 1));
}

/**
 * True when the digits at `p` follow another digit group joined by `sep` (`12-345-...`). A
 * group glued to letters (`w9-123-45-6789`, a form name) is a word, not part of the number.
 */
export function follows(value: string, p: number, sep: number): boolean {
  if (codeAt(value, p - 1) !== sep || !isDigit(codeAt(value, p - 2))) return false;
  let k = p - 2;
  while (isDigit(codeAt(value, k))) k--;
  return !isAlpha(codeAt(value, k));
}
