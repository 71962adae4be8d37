// Generates the labelled evaluation corpus (corpus.jsonl) from public-specification
// identifier generators, census name frequencies and surface templates, with a fixed seed.
//
//   pnpm exec tsx packages/guard/test/corpus/generate-corpus.ts /tmp/names/names-0.3.0/names
//
// Names are sampled by frequency from the full census files (88,799 surnames), not from
// the 15,000 the package ships, so recall on names reflects the population, not the list.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PhiKind, Surface } from '../../src/types.js';
import * as id from './identifiers.js';
import { FALSE_ALARM_FAMILIES, falseAlarm } from './false-alarms.js';
import { nameString, SHAPE_COUNT } from './name-strings.js';
import { negative } from './negatives.js';
import { ORIGINS } from './origin-names.js';
import { createRng, weighted, type Rng } from './random.js';
import { SAFE_HARBOR_FAMILIES, safeHarbor } from './safe-harbor.js';
import { splitOf } from './split.js';

/** One labelled string; `origin` for name-bearing ones, `split` fixed by a hash of the value. */
export type CorpusEntry = { value: string; where: Surface; kinds: PhiKind[]; source: string; origin?: string; split?: 'tune' | 'holdout' };

function table(dir: string, file: string): { names: string[]; cumulative: number[] } {
  const names: string[] = [];
  const cumulative: number[] = [];
  let total = 0;
  for (const line of readFileSync(join(dir, file), 'utf8').split('\n')) {
    const [name, freq] = line.trim().split(/\s+/);
    if (name === undefined || freq === undefined) continue;
    total += Math.max(Number(freq), 0.0001);
    names.push(name.toLowerCase());
    cumulative.push(total);
  }
  return { names, cumulative };
}

const dir = process.argv[2] ?? '/tmp/names/names-0.3.0/names';
const female = table(dir, 'dist.female.first');
const male = table(dir, 'dist.male.first');
const last = table(dir, 'dist.all.last');
const rng = createRng(0x5eed2026);

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const firstName = (r: Rng) => (r.chance(0.5) ? weighted(r, female.names, female.cumulative) : weighted(r, male.names, male.cumulative));
const lastName = (r: Rng) => weighted(r, last.names, last.cumulative);
const pad2 = (n: number) => String(n).padStart(2, '0');

function bareNpi(r: Rng): string {
  for (;;) {
    const n = id.npi(r);
    const v = Number(n);
    if (v < 1_420_070_400 || v > 1_893_456_000) return n;
  }
}

function personName(r: Rng): string {
  const f = firstName(r);
  const l = lastName(r);
  const m = r.chars('abcdefghjklmnprstw', 1);
  return r.pick([
    `${f}-${l}`, `${f}_${l}`, `${f}.${l}`, `${cap(f)}${cap(l)}`, `${f}${cap(l)}`, `${f}${l}`, `${f.toUpperCase()}_${l.toUpperCase()}`,
    `${cap(f)} ${cap(l)}`, `${cap(l)}, ${cap(f)}`, `${l.toUpperCase()}^${f.toUpperCase()}`, `${f}-${m}-${l}`, `${cap(f)} ${m.toUpperCase()}. ${cap(l)}`,
    `patient-${l}`, `dr-${l}`, `${f}-${l}`, `${cap(f)}-${cap(l)}`,
  ]);
}

function date(r: Rng): string {
  const y = r.int(1930, 2024);
  const m = r.int(1, 12);
  const d = r.int(1, 28);
  const mon = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][m - 1]!;
  const when = r.pick([`${y}-${pad2(m)}-${pad2(d)}`, `${pad2(m)}/${pad2(d)}/${y}`, `${m}/${d}/${y}`, `${y}${pad2(m)}${pad2(d)}`, `${pad2(d)}-${mon}-${y}`, `${mon} ${d}, ${y}`, `${pad2(m)}-${pad2(d)}-${y}`]);
  const label = r.pick(['dob', 'DOB', 'birth_date', 'date_of_birth', 'birthdate', 'admitted', 'admission-date', 'discharge_date', 'discharged', 'dos', 'date-of-death', 'dod', 'born']);
  const compact = /^\d{8}$/.test(when);
  return compact || r.chance(0.8) ? r.pick([`${label}=${when}`, `${label}-${when}`, `${label}: ${when}`, `${label}_${when}`]) : r.pick([`patient-${when}`, `pt_${when}`]);
}

function phone(r: Rng): string {
  const [a, e, l] = id.nanp(r);
  return r.pick([`(${a}) ${e}-${l}`, `${a}-${e}-${l}`, `${a}.${e}.${l}`, `+1 ${a} ${e} ${l}`, `+1${a}${e}${l}`, `1-${a}-${e}-${l}`, `tel-${a}${e}${l}`, `fax: ${a}-${e}-${l}`, `+44 20 ${r.digits(4)} ${r.digits(4)}`, `+49 30 ${r.digits(8)}`, `phone=${a}${e}${l}`]);
}

function email(r: Rng): string {
  const f = firstName(r);
  const l = lastName(r);
  const domain = r.pick(['gmail.com', 'yahoo.com', 'outlook.com', 'hotmail.com', 'icloud.com', 'aol.com', 'example.org', 'comcast.net', 'mercy-health.org', 'uw.edu']);
  const local = r.pick([`${f}.${l}`, `${f[0]}${l}`, `${f}${r.int(1, 99)}`, `${f}_${l}`, `${l}.${f}`]);
  const slug = domain.replace(/\./g, '-');
  return r.pick([`${local}@${domain}`, `${local}@${domain}`, `${local.replace(/[._]/g, '-')}-${slug}`, `${local}%40${domain}`, `${local.replace(/\./g, '_')}_at_${domain.replace('.', '_dot_')}`]);
}

function labelled(r: Rng, kind: PhiKind): string {
  const digits = r.digits(r.int(6, 10));
  switch (kind) {
    case 'mrn':
      return r.pick([`mrn-${digits}`, `MRN#${digits}`, `mrn${digits}`, `chart_${digits}`, `patient-id-${digits}`, `patients/${digits}`, `MRN: ${digits}`, `medrec=${digits}`]);
    case 'health-plan-id':
      return r.pick([`member-id-${r.chars('ABCDEFGHJKLMNPQRSTUVWXYZ', 3)}${r.digits(9)}`, `policy_no=${r.chars('ABCDEFGHJKLMNPQRSTUVWXYZ', 2)}${digits}`, `subscriber ${digits}`, `memberId:${digits}`, `medicaid-${digits}`]);
    case 'account-number':
      return r.pick([`acct-${digits}`, `account_number=${digits}`, `acctno:${digits}`, `ACCT#${digits}`, `billing-account-${digits}`]);
    case 'license-number':
      return r.pick([`lic-${r.chars('ABCDEFGHJKLMNPRSTWY', 1)}${r.digits(7)}`, `dl_${r.chars('ABCDEFGHJKLMNPRSTWY', 1)}${r.digits(8)}`, `license_no=${digits}`, `cert-${digits}`, `licence-${digits}`]);
    default:
      return r.pick([`serial-SN${r.chars('ABCDEFGHJKLMNPQRSTUVWXYZ0123456789', 9)}`, `device_id=${digits}`, `udi-${r.digits(14)}`, `imei-${r.digits(15)}`, `sn:${r.chars('ABCDEFGHJKLMNPQRSTUVWXYZ', 2)}${r.digits(7)}`]);
  }
}

function address(r: Rng): string {
  const street = r.pick(['main', 'oak', 'maple', 'elm', 'washington', 'park', 'lake', '5th', 'sunset', 'cedar', 'pine', 'mill', 'church', 'highland']);
  const suffix = r.pick(['st', 'street', 'ave', 'avenue', 'rd', 'blvd', 'dr', 'ln', 'way', 'ct']);
  const n = r.int(1, 19999);
  return r.pick([`${n} ${cap(street)} ${cap(suffix)}`, `${n}-${street}-${suffix}`, `${n}_${r.pick(['n', 's', 'e', 'w'])}_${street}_${suffix}`, `PO Box ${r.int(1, 9999)}`]);
}

function zip(r: Rng): string {
  const z = r.digits(5);
  return r.pick([`${z}-${r.digits(4)}`, `zip=${z}`, `${r.pick(['MA', 'NY', 'CA', 'TX', 'WA'])} ${z}`, `zip-${z}-${r.digits(4)}`]);
}

type Positive = { text: string; kinds: PhiKind[] };

function positive(r: Rng, kind: PhiKind): Positive {
  switch (kind) {
    case 'name': return { text: personName(r), kinds: ['name'] };
    case 'date': return { text: date(r), kinds: ['date'] };
    case 'phone': return { text: phone(r), kinds: ['phone'] };
    case 'email': return { text: email(r), kinds: ['email'] };
    case 'ssn': return { text: r.pick([id.ssn(r), `ssn=${id.ssn(r).replace(/-/g, '')}`, id.ssn(r).replace(/-/g, ' ')]), kinds: ['ssn'] };
    case 'itin': return { text: r.pick([id.itin(r), `itin-${id.itin(r)}`]), kinds: ['itin'] };
    case 'mbi': return { text: r.pick([id.mbi(r), id.mbi(r, true), `mbi-${id.mbi(r)}`, id.mbi(r).toLowerCase()]), kinds: ['mbi'] };
    // A bare 10-digit number inside the epoch-second window of 2015-2030 is a timestamp by the
    // labelling rule (README): bare NPIs here are drawn outside it.
    case 'npi': return { text: r.pick([bareNpi(r), `npi-${id.npi(r)}`, `provider/${id.npi(r)}`, `NPI ${id.npi(r)}`]), kinds: ['npi'] };
    case 'dea': return { text: r.pick([id.dea(r), `dea-${id.dea(r)}`]), kinds: ['dea'] };
    case 'payment-card': {
      const c = id.card(r);
      return { text: r.pick([c, c.length === 16 ? c.replace(/(\d{4})(?=\d)/g, '$1 ') : c, c.length === 16 ? c.replace(/(\d{4})(?=\d)/g, '$1-') : c]), kinds: ['payment-card'] };
    }
    case 'vin': return { text: r.pick([id.vin(r), `vin-${id.vin(r)}`, id.vin(r).toLowerCase()]), kinds: ['vin'] };
    case 'ip-address': return { text: r.pick([id.publicIpv4(r), `client-ip=${id.publicIpv4(r)}`, id.publicIpv6(r), `src_${id.publicIpv4(r)}`]), kinds: ['ip-address'] };
    case 'street-address': return { text: address(r), kinds: ['street-address'] };
    case 'zip-code': return { text: zip(r), kinds: ['zip-code'] };
    case 'url': {
      const inner = r.pick<PhiKind>(['email', 'name', 'ssn', 'mrn', 'date']);
      const p = positive(r, inner);
      const text = p.text.replace(/ /g, '%20');
      return { text: r.pick([`https://portal.${r.pick(['mercy', 'example', 'clinic'])}.org/patients/${text}`, `https://app.example.com/search?q=${text}`, `http://intake.example.net/r/${text}/view`]), kinds: ['url', ...p.kinds] };
    }
    default: return { text: labelled(r, kind), kinds: [kind] };
  }
}

const WORDS = ['uploads', 'reports', 'intake', 'scans', 'labs', 'imaging', 'exports', 'archive', 'raw', 'processed', 'claims', 'billing', 'referrals', 'notes', 'docs', 'tmp', 'inbound', 'outbound'];
const SURFACES: Surface[] = ['s3.bucket', 's3.key', 's3.metadata', 'tag', 'dynamodb.table', 'dynamodb.key', 'dynamodb.attributeName', 'sqs.queue', 'sqs.attribute', 'kms.alias', 'encryptionContext'];

/** Places a value on a surface the way applications name things there. */
function place(r: Rng, where: Surface, text: string): string {
  const w = () => r.pick(WORDS);
  // Names on these surfaces are slugs: `@` (or its encoding) becomes `-at-`, the rest `-`.
  const slug = text.toLowerCase().replace(/@|%40/g, '-at-').replace(/[^a-z0-9.-]+/g, '-');
  switch (where) {
    case 's3.bucket': return r.pick([`${w()}-${slug}`, `${slug}-${w()}`, `clinic-${slug}`]);
    case 's3.key': return r.pick([`${w()}/${text}/${r.pick(['scan.pdf', 'report.json', 'img-001.png', 'notes.txt'])}`, `${w()}/2024/${pad2(r.int(1, 12))}/${pad2(r.int(1, 28))}/${text}.pdf`, `${text}.pdf`, `${w()}/${w()}/${text}`, `tenant-${r.int(1, 40)}/${text}/${id.uuid(r)}.json`]);
    case 's3.metadata':
    case 'tag':
    case 'sqs.attribute': return r.pick([text, `${cap(w())} for ${text}`, `${text} (${w()})`]);
    case 'dynamodb.table': return r.pick([`${slug}-${w()}`, `${w()}_${slug.replace(/-/g, '_')}`]);
    case 'dynamodb.key': return r.pick([`PATIENT#${text}`, `USER#${text}`, `${text}`, `ORG#clinic-a#${text}`]);
    case 'dynamodb.attributeName': return r.pick([`${slug.replace(/-/g, '_')}`, `${w()}_${slug.replace(/-/g, '_')}`]);
    case 'sqs.queue': return r.pick([`${w()}-${slug}`, `${slug}-${w()}.fifo`]);
    case 'kms.alias': return `alias/${r.pick(['clinic', 'tenant', 'app'])}-${slug}`;
    default: return r.pick([text, `${w()}:${text}`]);
  }
}

const KINDS: PhiKind[] = ['name', 'date', 'phone', 'email', 'ssn', 'itin', 'mrn', 'health-plan-id', 'account-number', 'license-number', 'mbi', 'npi', 'dea', 'payment-card', 'vin', 'device-id', 'ip-address', 'url', 'street-address', 'zip-code'];

const entries: CorpusEntry[] = [];
for (const kind of KINDS) {
  // Names get their own, larger section below (every origin in every shape).
  const count = kind === 'name' ? 60 : kind === 'date' ? 60 : 36;
  for (let i = 0; i < count; i++) {
    // A URL only survives on surfaces that take free text or keys; a bucket name cannot hold one.
    const where = kind === 'url' ? rng.pick<Surface>(['tag', 's3.metadata', 'sqs.attribute', 'encryptionContext', 'dynamodb.key']) : rng.pick(SURFACES);
    const p = positive(rng, kind);
    entries.push({ value: place(rng, where, p.text), where, kinds: p.kinds, source: 'generated', ...(kind === 'name' ? { origin: 'anglo' } : {}) });
  }
}
// Names of every origin in every shape: 4 x the shape count per origin. Anglo names are drawn
// by frequency from the 1990 census files; the others from origin-names.ts.
const PER_ORIGIN = 4 * SHAPE_COUNT;
for (let i = 0; i < PER_ORIGIN; i++) {
  const s = nameString(rng, i, firstName(rng), lastName(rng));
  entries.push({ value: s.value, where: s.where, kinds: ['name'], source: 'generated:names', origin: 'anglo' });
}
for (const [origin, names] of Object.entries(ORIGINS)) {
  for (let i = 0; i < PER_ORIGIN; i++) {
    const s = nameString(rng, i, rng.pick(names.first), rng.pick(names.last));
    entries.push({ value: s.value, where: s.where, kinds: ['name'], source: 'generated:names', origin });
  }
}
for (const family of SAFE_HARBOR_FAMILIES) {
  for (let i = 0; i < 24; i++) {
    const p = safeHarbor(rng, family);
    entries.push({ value: p.value, where: p.where, kinds: p.kinds, source: `generated:${family}` });
  }
}
for (let i = 0; i < 1100; i++) {
  const n = negative(rng);
  entries.push({ value: n.value, where: n.where, kinds: [], source: `generated:${n.family}` });
}
for (const family of FALSE_ALARM_FAMILIES) {
  for (let i = 0; i < 24; i++) {
    const n = falseAlarm(rng, family);
    entries.push({ value: n.value, where: n.where, kinds: [], source: `generated:${family}` });
  }
}
// One entry per (value, surface): a repeat would count twice and could straddle the split.
const seen = new Set<string>();
const unique = entries.filter((e) => {
  const k = `${e.where}\u0000${e.value}`;
  if (seen.has(k)) return false;
  seen.add(k);
  return true;
});
for (const e of unique) e.split = splitOf(e.value);
const target = new URL('./corpus.jsonl', import.meta.url);
writeFileSync(target, unique.map((e) => JSON.stringify(e)).join('\n') + '\n');
console.log(`${unique.length} entries, ${unique.filter((e) => e.kinds.length > 0).length} positive, ${unique.filter((e) => e.split === 'holdout').length} held out`);
