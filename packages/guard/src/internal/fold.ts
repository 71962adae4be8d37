/**
 * Letters outside ASCII that do not decompose under NFD into an ASCII letter and marks, mapped
 * to the ASCII letter a US record would use (`Łukasz` → `Lukasz`, `Đặng` → `Dang`).
 */
const SPECIAL: Record<string, string> = {
  Ł: 'L', ł: 'l', Ø: 'O', ø: 'o', Đ: 'D', đ: 'd', Ð: 'D', ð: 'd', Æ: 'A', æ: 'a', Œ: 'O', œ: 'o', ß: 's', ı: 'i', Þ: 'T', þ: 't', Ħ: 'H', ħ: 'h', Ŧ: 'T', ŧ: 't', Ŋ: 'N', ŋ: 'n',
};

function foldChar(c: string): string {
  const special = SPECIAL[c];
  if (special !== undefined) return special;
  const base = c.normalize('NFD').charAt(0);
  const code = base.charCodeAt(0);
  return (code >= 65 && code <= 90) || (code >= 97 && code <= 122) ? base : c;
}

/**
 * Latin letters with diacritics folded to ASCII, one code unit for one (`José Hernández` →
 * `Jose Hernandez`, `Nguyễn` → `Nguyen`), so every offset into the result is an offset into the
 * value. The detectors read ASCII; names of many origins are written with diacritics in tags
 * and keys. A value that is all ASCII (the common case) is returned as is, without a copy.
 */
export function foldLatin(value: string): string {
  let i = 0;
  while (i < value.length && value.charCodeAt(i) < 128) i++;
  if (i === value.length) return value;
  let out = value.slice(0, i);
  for (; i < value.length; i++) {
    const c = value.charCodeAt(i);
    out += c < 128 ? value.charAt(i) : foldChar(value.charAt(i));
  }
  return out;
}
