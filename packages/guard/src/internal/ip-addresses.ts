import { codeAt, isAlnum, isAlpha, isDigit, isHex, lower } from './chars.js';
import { labelBefore } from './context.js';
import { report, type Findings } from './findings.js';
import { L_INFRA, L_VERSION } from './labels.js';
import { DIGIT, type Scan } from './scan.js';
import { S_DOTTED } from './tag-bits.js';

const octets = new Int32Array(4);

/**
 * Infrastructure ranges (RFC 1918 private, RFC 6598 shared, loopback, link-local, this
 * network, multicast and reserved) belong to networks, not to people.
 */
function infrastructureV4(): boolean {
  const a = octets[0] ?? 0;
  const b = octets[1] ?? 0;
  return a === 10 || a === 127 || a === 0 || a >= 224 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) ||
    (a === 169 && b === 254) || (a === 100 && b >= 64 && b <= 127);
}

/**
 * `2.5.4.3` (X.520 attribute type commonName), `2.5.29.17` (X.509 subjectAltName): the
 * joint-iso-itu-t directory arcs are OIDs in certificates and LDAP schemas, which look like
 * dotted quads. An address in 2.5.4.0/24 or 2.5.29.0/24 is given up for them.
 */
function directoryOid(value: string, p: number): boolean {
  return value.startsWith('2.5.4.', p) || value.startsWith('2.5.29.', p);
}

function cidrSuffix(value: string, i: number): boolean {
  let n = 0;
  while (n < 4 && isDigit(codeAt(value, i + n))) n++;
  return n >= 1 && n <= 3 && !isAlnum(codeAt(value, i + n));
}

function ipv4At(value: string, p: number): number {
  let i = p;
  for (let k = 0; k < 4; k++) {
    if (k > 0) {
      if (codeAt(value, i) !== 46) return -1;
      i++;
    }
    let len = 0;
    let n = 0;
    while (len < 4 && isDigit(codeAt(value, i + len))) {
      n = n * 10 + (value.charCodeAt(i + len) - 48);
      len++;
    }
    if (len === 0 || len > 3 || n > 255 || (len > 1 && value.charCodeAt(i) === 48)) return -1;
    octets[k] = n;
    i += len;
  }
  // A fifth group means a version or an OID; `/nn` means a CIDR block, which is a network.
  if (codeAt(value, i) === 46 && isDigit(codeAt(value, i + 1))) return -1;
  if (codeAt(value, i) === 47 && cidrSuffix(value, i + 1)) return -1;
  if (isAlnum(codeAt(value, i))) return -1;
  return i;
}

/** `outbound:2a03:...`: a colon after a word (not a hex group) can precede an address. */
function afterWordColon(value: string, colon: number): boolean {
  let k = colon - 1;
  let word = false;
  while (k >= 0 && isAlnum(value.charCodeAt(k))) {
    if (!isHex(value.charCodeAt(k))) word = true;
    k--;
  }
  return word && k < colon - 1 && codeAt(value, k) !== 58;
}

/** IPv6 (RFC 4291 text form): up to eight groups of 1-4 hex digits, at most one `::`. */
function ipv6At(value: string, p: number): number {
  let i = p;
  let groups = 0;
  let compressed = false;
  let letters = 0;
  let first = -1;
  if (codeAt(value, i) === 58) {
    if (codeAt(value, i + 1) !== 58) return -1;
    compressed = true;
    i += 2;
  }
  while (groups < 8) {
    let len = 0;
    let n = 0;
    while (len < 5 && isHex(codeAt(value, i + len))) {
      const c = lower(value.charCodeAt(i + len));
      n = n * 16 + (c <= 57 ? c - 48 : c - 87);
      if (isAlpha(c)) letters++;
      len++;
    }
    if (len === 0) break;
    if (len > 4) return -1;
    if (first < 0) first = compressed && groups === 0 ? 0 : n;
    groups++;
    i += len;
    if (codeAt(value, i) !== 58) break;
    if (codeAt(value, i + 1) === 58) {
      if (compressed) return -1;
      compressed = true;
      i += 2;
      continue;
    }
    if (!isHex(codeAt(value, i + 1))) break;
    i++;
  }
  if (isAlnum(codeAt(value, i)) || codeAt(value, i) === 58) return -1;
  if (compressed ? groups < 2 || groups > 7 : groups !== 8) return -1;
  if (letters === 0 && !compressed) return -1;
  // Loopback, unspecified, link-local fe80::/10, unique-local fc00::/7 and multicast ff00::/8.
  if (first === 0 || (first & 0xffc0) === 0xfe80 || (first & 0xfe00) === 0xfc00 || (first & 0xff00) === 0xff00) return -1;
  return i;
}

/**
 * IP addresses (Safe Harbor identifier 15) outside infrastructure contexts: public IPv4
 * that is not a CIDR block, a version (`v1.2.3.4`) or after a network word (`vpc`,
 * `subnet`, `nat`); public IPv6 outside loopback, link-local, unique-local and multicast.
 */
export function detectIpAddresses(scan: Scan, out: Findings): void {
  const value = scan.value;
  // IPv4 needs `d.d`; IPv6 needs a colon.
  for (let t = 0; t < scan.count && (scan.shape & S_DOTTED) !== 0; t++) {
    if (scan.kind[t] !== DIGIT) continue;
    const p = scan.start[t] ?? 0;
    const prev = codeAt(value, p - 1);
    if (prev === 46 || prev === 58 || isHex(prev)) continue;
    const end = ipv4At(value, p);
    if (end < 0 || infrastructureV4() || directoryOid(value, p)) continue;
    if ((labelBefore(scan, t, 2) & (L_VERSION | L_INFRA)) !== 0) continue;
    report(out, 'ip-address', p, end);
    t += 6;
  }
  if (value.indexOf(':') < 0) return;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (!isHex(c) && c !== 58) continue;
    const prev = codeAt(value, i - 1);
    if (isAlnum(prev) || (prev === 58 && !afterWordColon(value, i - 1))) continue;
    const end = ipv6At(value, i);
    // `2600:1f18:abcd::/56`: an IPv6 CIDR block is a network, not a host.
    if (end > 0 && codeAt(value, end) === 47 && cidrSuffix(value, end + 1)) {
      i = end;
      continue;
    }
    if (end > 0) {
      report(out, 'ip-address', i, end);
      i = end;
    } else {
      // Skip the rest of this hex/colon run: a candidate only starts after a non-hex character.
      while (i + 1 < value.length && (isHex(value.charCodeAt(i + 1)) || value.charCodeAt(i + 1) === 58)) i++;
    }
  }
}
