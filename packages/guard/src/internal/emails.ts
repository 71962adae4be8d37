import { codeAt, isDigit, isAlnum, isAlpha } from './chars.js';
import { report, type Findings } from './findings.js';
import type { Scan } from './scan.js';
import { S_MAIL_WORD } from './tag-bits.js';
import { ALPHA } from './token-kinds.js';

function isLocalChar(c: number): boolean {
  // RFC 5322 dot-atom characters that real mailboxes use.
  return isAlnum(c) || c === 46 || c === 95 || c === 45 || c === 43 || c === 37;
}

function isDomainChar(c: number): boolean {
  return isAlnum(c) || c === 45 || c === 46;
}

/**
 * One `@` (or its URL encoding `%40`): scans back over the local part and forward over the
 * domain. Neither scan crosses another `@`, so each character is visited a bounded number
 * of times however many `@` the string holds.
 */
function addressAround(value: string, at: number, atLen: number, out: Findings): void {
  // RFC 5321 section 4.5.3.1: a local part is at most 64 octets and a domain at most 255.
  // The bounds also keep `%40%40%40…` linear: no scan runs back over earlier candidates.
  let s = at;
  while (s > 0 && at - s < 64 && isLocalChar(value.charCodeAt(s - 1))) s--;
  // `%40` encodings leave `%` in the scan set; a local part never starts with `.` or `-`.
  while (s < at && !isAlnum(value.charCodeAt(s))) s++;
  if (s === at) return;
  let e = at + atLen;
  let lastDot = -1;
  while (e < value.length && e - at < 256 && isDomainChar(value.charCodeAt(e))) {
    if (value.charCodeAt(e) === 46) lastDot = e;
    e++;
  }
  while (e > at + atLen && !isAlnum(value.charCodeAt(e - 1))) e--;
  if (lastDot >= e - 1) lastDot = -1;
  if (lastDot < 0) {
    // Recompute: the trailing dot may have been trimmed.
    for (let k = e - 1; k > at + atLen; k--) {
      if (value.charCodeAt(k) === 46) {
        lastDot = k;
        break;
      }
    }
  }
  if (lastDot < 0) return;
  // The top-level domain is alphabetic and at least two letters (RFC 1123 section 2.1).
  const tldLen = e - lastDot - 1;
  if (tldLen < 2 || tldLen > 24) return;
  for (let k = lastDot + 1; k < e; k++) if (!isAlpha(value.charCodeAt(k))) return;
  if (!isAlnum(codeAt(value, at + atLen))) return;
  // `git@github.com:org/repo.git`: an scp-style SSH remote, the account of a service.
  if (codeAt(value, e) === 58 && isAlnum(codeAt(value, e + 1))) return;
  // `logo@3x.png`, `icon@1.5x.webp`: an image-density suffix, not a domain.
  if (densitySuffix(value, at + atLen)) return;
  if (roleMailbox(value, s, at)) return;
  report(out, 'email', s, e);
}

/** `@2x.`, `@1.5x.` after the `@`. */
function densitySuffix(value: string, i: number): boolean {
  let k = i;
  while (isDigit(codeAt(value, k)) || codeAt(value, k) === 46) k++;
  return k > i && (codeAt(value, k) === 120 || codeAt(value, k) === 88) && !isAlnum(codeAt(value, k + 1));
}

/**
 * Mailboxes of a role, not a person (RFC 2142 names and their common kin): `alerts@`,
 * `no-reply@`, `billing-team@`. Every word of the local part must be a role word.
 */
const ROLE_WORDS = new Set(
  ('alerts alert noreply no reply donotreply do not support billing security admin administrator postmaster hostmaster ' +
    'webmaster info devops oncall on call privacy compliance help helpdesk desk it ops hr notifications notification notify ' +
    'reports report intake records scheduling pharmacy radiology team sales contact hello office frontdesk front abuse legal ' +
    'finance accounts payable receivable ap ar git mailer daemon bounce bounces root system sysadmin service services care ' +
    'customer customers patient patients portal appointments claims referrals lab labs imaging nurse nurses clinic hospital ' +
    'media press marketing news newsletter feedback enquiries inquiries questions careers jobs recruiting dev engineering ' +
    'platform sre monitoring ci build builds deploy release releases test qa ops-team').split(' '),
);

function roleMailbox(value: string, s: number, at: number): boolean {
  let w = s;
  for (let i = s; i <= at; i++) {
    const c = i < at ? value.charCodeAt(i) : 45;
    if (c === 45 || c === 46 || c === 95 || c === 43) {
      if (i === w || !ROLE_WORDS.has(value.slice(w, i).toLowerCase())) return false;
      w = i + 1;
    } else if (!isAlpha(c)) return false;
  }
  return true;
}

// Free-mail providers: a slug such as `jane-doe-gmail-com` is an address with its
// punctuation replaced, which happens when addresses are turned into keys or queue names.
const PROVIDERS = new Set([
  'gmail', 'googlemail', 'yahoo', 'ymail', 'hotmail', 'outlook', 'live', 'msn', 'aol', 'icloud', 'protonmail', 'proton',
  'comcast', 'verizon', 'att', 'sbcglobal', 'bellsouth', 'cox', 'charter', 'earthlink', 'gmx', 'zoho', 'yandex', 'fastmail', 'mail',
]);
/** The words a slugged address needs (`at`, a provider); for the scan's tagging. */
export function slugMailWords(): string[] {
  return ['at', ...PROVIDERS];
}
const TLDS = new Set(['com', 'net', 'org', 'edu', 'gov', 'us', 'io', 'co', 'uk', 'ca', 'info', 'biz', 'me', 'de', 'fr']);

/** Slugified addresses: `<local>-gmail-com`, `<local>_at_example_dot_org`, `<local>.at.host.net`. */
function slugged(scan: Scan, out: Findings): void {
  if ((scan.shape & S_MAIL_WORD) === 0) return;
  for (let t = 1; t + 1 < scan.count; t++) {
    const word = scan.words[t];
    if (word === undefined) continue;
    let domainStart = t;
    let atWord = false;
    if (word === 'at' && t + 2 < scan.count) {
      atWord = true;
      domainStart = t + 1;
    } else if (!PROVIDERS.has(word)) continue;
    // The domain: a provider, or after `at` up to three labels (`mercy-health`); then an
    // optional `dot` and a TLD.
    let k = domainStart + 1;
    if (atWord) {
      while (k < domainStart + 3 && k + 1 < scan.count && !TLDS.has(scan.words[k] ?? '') && scan.words[k] !== 'dot' && isSlugJoin(scan.value, (scan.start[k] ?? 0) - 1)) k++;
    }
    if (scan.words[k] === 'dot') k++;
    if (!TLDS.has(scan.words[k] ?? '') || scan.kind[domainStart] !== ALPHA || !isSlugJoin(scan.value, (scan.start[k] ?? 0) - 1)) continue;
    if (atWord && scan.words[domainStart] === undefined) continue;
    // The local part: up to three tokens before, joined by single `-`, `_` or `.`
    // (a `/`, `=`, `:` or space ends it: that is the path or the label, not the mailbox).
    const value = scan.value;
    const lead = atWord ? t : domainStart;
    if (!isSlugJoin(value, (scan.start[lead] ?? 0) - 1) || (scan.start[lead] ?? 0) - (scan.end[lead - 1] ?? 0) !== 1) continue;
    let first = lead - 1;
    let steps = 0;
    while (first > 0 && steps < 2 && (scan.start[first] ?? 0) - (scan.end[first - 1] ?? 0) <= 1 && isSlugJoinOrNone(scan, first)) {
      first--;
      steps++;
    }
    report(out, 'email', scan.start[first] ?? 0, scan.end[k] ?? 0);
    t = k;
  }
}

function isSlugJoin(value: string, i: number): boolean {
  const c = codeAt(value, i);
  return c === 45 || c === 95 || c === 46;
}

/** True when token `t` is glued to the one before it, or joined by `-`, `_` or `.`. */
function isSlugJoinOrNone(scan: Scan, t: number): boolean {
  const s = scan.start[t] ?? 0;
  return s === (scan.end[t - 1] ?? 0) || isSlugJoin(scan.value, s - 1);
}

/** Finds email addresses, URL-encoded ones and slugified ones. */
export function detectEmails(scan: Scan, out: Findings): void {
  const value = scan.value;
  for (let i = value.indexOf('@'); i >= 0; i = value.indexOf('@', i + 1)) addressAround(value, i, 1, out);
  for (let i = value.indexOf('%40'); i >= 0; i = value.indexOf('%40', i + 3)) addressAround(value, i, 3, out);
  slugged(scan, out);
}
