// Generators of valid (and deliberately invalid) identifiers for the corpus. Each follows
// the public specification, independently of the detector code.
import type { Rng } from './random.js';

/** Luhn check digit (ISO/IEC 7812-1) of a digit string. */
export function luhnCheckDigit(payload: string): number {
  let sum = 0;
  for (let i = 0; i < payload.length; i++) {
    let d = Number(payload[payload.length - 1 - i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return (10 - (sum % 10)) % 10;
}

export function ssn(rng: Rng): string {
  let area = rng.int(1, 899);
  if (area === 666) area = 665;
  return `${String(area).padStart(3, '0')}-${String(rng.int(1, 99)).padStart(2, '0')}-${String(rng.int(1, 9999)).padStart(4, '0')}`;
}

export function invalidSsn(rng: Rng): string {
  const area = rng.pick(['000', '666', String(rng.int(900, 999))]);
  const group = area.startsWith('9') ? String(rng.pick([rng.int(0, 49), rng.int(66, 69), 89, 93])).padStart(2, '0') : String(rng.int(1, 99)).padStart(2, '0');
  return `${area}-${group}-${String(rng.int(1, 9999)).padStart(4, '0')}`;
}

export function itin(rng: Rng): string {
  const group = rng.pick([rng.int(50, 65), rng.int(70, 88), rng.int(90, 92), rng.int(94, 99)]);
  return `9${rng.digits(2)}-${group}-${String(rng.int(1, 9999)).padStart(4, '0')}`;
}

export function nanp(rng: Rng): [string, string, string] {
  let area = rng.int(200, 999);
  if (area % 100 === 11) area += 1;
  return [String(area), String(rng.int(200, 999)), rng.digits(4)];
}

export function npi(rng: Rng, valid = true): string {
  const payload = `${rng.pick(['1', '2'])}${rng.digits(8)}`;
  const check = luhnCheckDigit(`80840${payload}`);
  return `${payload}${valid ? check : (check + rng.int(1, 9)) % 10}`;
}

export function card(rng: Rng, valid = true): string {
  const [prefix, len] = rng.pick([['4', 16], ['51', 16], ['55', 16], ['2221', 16], ['34', 15], ['37', 15], ['6011', 16], ['65', 16], ['3530', 16]] as const);
  const payload = prefix + rng.digits(len - prefix.length - 1);
  const check = luhnCheckDigit(payload);
  return payload + String(valid ? check : (check + rng.int(1, 9)) % 10);
}

export function dea(rng: Rng, valid = true): string {
  const d = Array.from({ length: 6 }, () => rng.int(0, 9));
  const check = (d[0]! + d[2]! + d[4]! + 2 * (d[1]! + d[3]! + d[5]!)) % 10;
  return `${rng.pick(['A', 'B', 'F', 'G', 'M'])}${rng.chars('ABCDEFGHJKLMNPRSTWY9', 1)}${d.join('')}${valid ? check : (check + rng.int(1, 9)) % 10}`;
}

const MBI_LETTERS = 'ACDEFGHJKMNPQRTUVWXY';
export function mbi(rng: Rng, dashes = false): string {
  const an = () => (rng.chance(0.5) ? rng.digits(1) : rng.chars(MBI_LETTERS, 1));
  const s = `${rng.int(1, 9)}${rng.chars(MBI_LETTERS, 1)}${an()}${rng.digits(1)}${rng.chars(MBI_LETTERS, 1)}${an()}${rng.digits(1)}${rng.chars(MBI_LETTERS, 2)}${rng.digits(2)}`;
  return dashes ? `${s.slice(0, 4)}-${s.slice(4, 7)}-${s.slice(7)}` : s;
}

const VIN_CHARS = 'ABCDEFGHJKLMNPRSTUVWXYZ0123456789';
const VIN_TRANSLIT: Record<string, number> = { A: 1, B: 2, C: 3, D: 4, E: 5, F: 6, G: 7, H: 8, J: 1, K: 2, L: 3, M: 4, N: 5, P: 7, R: 9, S: 2, T: 3, U: 4, V: 5, W: 6, X: 7, Y: 8, Z: 9 };
const VIN_W = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2];
export function vin(rng: Rng, valid = true): string {
  const wmi = rng.pick(['1HG', '1FA', '2T1', '3VW', 'JHM', 'WBA', '5YJ', '1G1', 'KMH']);
  const chars = (wmi + rng.chars(VIN_CHARS, 5) + '0' + rng.chars('ABCDEFGHJKLMNPRSTVWXY123456789', 1) + rng.chars(VIN_CHARS, 1) + rng.digits(6)).split('');
  let sum = 0;
  chars.forEach((c, i) => (sum += (/\d/.test(c) ? Number(c) : VIN_TRANSLIT[c]!) * VIN_W[i]!));
  const check = sum % 11;
  const digit = check === 10 ? 'X' : String(check);
  chars[8] = valid ? digit : digit === '1' ? '2' : '1';
  return chars.join('');
}

export function publicIpv4(rng: Rng): string {
  const a = rng.pick([3, 13, 18, 23, 34, 35, 44, 52, 54, 63, 66, 73, 98, 104, 142, 151, 173, 199, 203, 208]);
  return `${a}.${rng.int(0, 255)}.${rng.int(0, 255)}.${rng.int(1, 254)}`;
}

export function privateIpv4(rng: Rng): string {
  return rng.pick([`10.${rng.int(0, 255)}.${rng.int(0, 255)}.${rng.int(1, 254)}`, `172.${rng.int(16, 31)}.${rng.int(0, 255)}.${rng.int(1, 254)}`, `192.168.${rng.int(0, 255)}.${rng.int(1, 254)}`, `127.0.0.1`]);
}

export function publicIpv6(rng: Rng): string {
  const g = () => rng.hex(rng.int(1, 4)).replace(/^0+(?=.)/, '');
  return rng.pick([`2001:4860:${g()}::${g()}`, `2600:1f18:${g()}:${g()}:${g()}:${g()}:${g()}:${g()}`, `2a03:2880:${g()}:${g()}::${g()}`]);
}

export function uuid(rng: Rng): string {
  return `${rng.hex(8)}-${rng.hex(4)}-4${rng.hex(3)}-${rng.pick(['8', '9', 'a', 'b'])}${rng.hex(3)}-${rng.hex(12)}`;
}
