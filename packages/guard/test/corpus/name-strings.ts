// Name-bearing strings in every shape the issue lists, for names of every origin.
import type { Surface } from '../../src/types.js';
import type { Rng } from './random.js';

export type NameString = { value: string; where: Surface };

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const pad2 = (n: number) => String(n).padStart(2, '0');
const DOCS = ['scan.pdf', 'intake.json', 'labs.csv', 'notes.txt', 'img-001.dcm', 'referral.pdf'];
const PREFIX = ['uploads', 'patients', 'intake', 'records', 'imaging', 'claims', 'referrals', 'tenant-7'];

/** The shapes: each takes a first name, a surname, a middle initial and the rng. */
const SHAPES: ((f: string, l: string, m: string, r: Rng) => NameString)[] = [
  (f, l, _m, r) => ({ value: `${r.pick(PREFIX)}/${f}.${l}/${r.pick(DOCS)}`, where: 's3.key' }),
  (f, l, _m, r) => ({ value: `${f.toUpperCase()}_${l.toUpperCase()}_${r.pick(['LAB', 'CT', 'INTAKE', 'CONSENT'])}_${r.int(2019, 2025)}.pdf`, where: 's3.key' }),
  (f, l, _m, r) => ({ value: `${l}_${f}${r.chance(0.5) ? `_${r.pick(['notes', 'visits', 'claims'])}` : ''}`, where: r.pick<Surface>(['dynamodb.attributeName', 'dynamodb.table']) }),
  (f, l) => ({ value: `${cap(l)}, ${cap(f)}`, where: 'tag' }),
  (f, l, _m, r) => ({ value: `${r.pick(PREFIX)}/${r.int(2019, 2025)}/${pad2(r.int(1, 12))}/${f}-${l}/${r.pick(DOCS)}`, where: 's3.key' }),
  (f, l) => ({ value: `Owner=${cap(f)} ${cap(l)}`, where: 'tag' }),
  (f, l, _m, r) => ({ value: `${r.pick(['patient', 'PATIENT', 'pt'])}#${f}-${l}`, where: 'dynamodb.key' }),
  (f, l, _m, r) => ({ value: `${f}-${l}-${r.pick(['intake', 'results', 'reminders', 'billing'])}${r.chance(0.3) ? '.fifo' : ''}`, where: 'sqs.queue' }),
  (f, l, _m, r) => ({ value: `${r.pick(['visits', 'claims', 'notes'])}_${l}_${f}`, where: 'dynamodb.table' }),
  (f, l) => ({ value: `${f}${cap(l)}`, where: 'dynamodb.attributeName' }),
  (f, l, _m, r) => ({ value: `${r.pick(['Results for', 'Referral:', 'Scanned by', 'Consent signed by'])} ${cap(f)} ${cap(l)}`, where: r.pick<Surface>(['s3.metadata', 'sqs.attribute']) }),
  (f, l, m) => ({ value: `${cap(f)} ${m.toUpperCase()}. ${cap(l)}`, where: 'sqs.attribute' }),
  (f, l) => ({ value: `${l.toUpperCase()}^${f.toUpperCase()}`, where: 'sqs.attribute' }),
  (f, l, _m, r) => ({ value: `${r.pick(['clinic', 'intake', 'imaging'])}-${f}-${l}`, where: 's3.bucket' }),
  (f, l, _m, r) => ({ value: `alias/${r.pick(['patient', 'tenant', 'clinic'])}-${f}-${l}`, where: 'kms.alias' }),
  (f, l, _m, r) => ({ value: `${r.pick(['patient_name', 'name', 'owner', 'patient'])}=${r.chance(0.5) ? cap(l) : l}`, where: r.pick<Surface>(['encryptionContext', 'tag']) }),
  (f, l) => ({ value: `${cap(f)}${cap(l)}`, where: 'dynamodb.key' }),
  (f, l, _m, r) => ({ value: `${f}_${l}${r.chance(0.5) ? '' : `_${r.int(1, 99)}`}`, where: 'encryptionContext' }),
];

/** One vowel accented, as names are written in tags and keys that allow Unicode (`José`, `Zoë`). */
function accent(s: string, r: Rng): string {
  const i = s.search(/[aeiou]/);
  if (i < 0) return s;
  const marks: Record<string, string[]> = { a: ['á', 'à', 'ã', 'ă'], e: ['é', 'è', 'ê', 'ë'], i: ['í', 'ï'], o: ['ó', 'ô', 'ö', 'ø'], u: ['ú', 'ü', 'ư'] };
  return s.slice(0, i) + r.pick(marks[s.charAt(i)]!) + s.slice(i + 1);
}
SHAPES.push((f, l, _m, r) => ({ value: `${r.pick(['Patient:', 'Owner=', 'Guardian:'])} ${cap(accent(f, r))} ${cap(accent(l, r))}`, where: r.pick<Surface>(['tag', 'dynamodb.key']) }));

export const SHAPE_COUNT = SHAPES.length;

/** One name string of shape `i` (mod the number of shapes). */
export function nameString(r: Rng, i: number, first: string, last: string): NameString {
  const shape = SHAPES[i % SHAPES.length]!;
  return shape(first, last, r.chars('abcdefghjklmnprstw', 1), r);
}
