// Positives for the Safe Harbor identifiers and keyword-led forms the issue found missing:
// ages over 89, dates tied to a person in a path, restricted three-digit ZIPs, DICOM UIDs,
// SSNs without dashes or inside a bucket name, MR# record numbers, driver's licences with a
// state prefix, licence plates, encounter and accession numbers, MAC addresses, coordinates,
// a patient's city, birth years implying an age over 89, professional licences, account
// numbers in paths. Each generator follows the public definition, not the detector.
import type { PhiKind, Surface } from '../../src/types.js';
import * as id from './identifiers.js';
import type { Rng } from './random.js';

export type Positive = { value: string; where: Surface; kinds: PhiKind[]; family: string };

const pad2 = (n: number) => String(n).padStart(2, '0');
/** HHS Safe Harbor guidance: three-digit ZIPs with 20,000 or fewer people (2000 census). */
export const RESTRICTED_ZIP3 = ['036', '059', '063', '102', '203', '556', '692', '790', '821', '823', '830', '831', '878', '879', '884', '890', '893'];
const STATES = ['CA', 'NY', 'TX', 'FL', 'WA', 'IL', 'PA', 'OH', 'GA', 'NC', 'MI', 'NJ', 'VA', 'AZ', 'MA'];
const CITIES = ['Fresno', 'Springfield', 'Ames', 'Tulsa', 'Bozeman', 'Yakima', 'Dothan', 'Pueblo', 'Waco', 'Duluth', 'Macon', 'Salinas', 'Bangor', 'Laredo', 'Provo'];
const isoDate = (r: Rng) => `${r.int(2015, 2025)}-${pad2(r.int(1, 12))}-${pad2(r.int(1, 28))}`;
const dicomRoot = (r: Rng) => r.pick(['1.2.840.113619.2', '1.3.12.2.1107.5.2', '1.2.826.0.1.3680043.8.498', '1.3.46.670589.11', '1.2.392.200036.9116.2', '2.16.840.1.113669.632.20']);
const dicomUid = (r: Rng) => r.chance(0.2) ? `2.25.${r.int(1, 9)}${r.digits(37)}` : `${dicomRoot(r)}.${r.int(1, 999)}.${r.int(1, 9)}${r.digits(8)}.${r.int(1, 9)}${r.digits(r.int(5, 12))}.${r.int(1, 9999)}`;

const FAMILIES: Record<string, (r: Rng) => [string, Surface, PhiKind[]]> = {
  'age-over-89': (r) => {
    const a = r.int(90, 109);
    return [r.pick([`patient-age: ${a}`, `age-${a}`, `age=${a}`, `Age ${a}`, `aged_${a}`, `age:${a}y`, `pt_age_${a}`, `${a}-year-old`, `${a}yo`, `age_years=${a}`]), r.pick<Surface>(['tag', 's3.metadata', 'encryptionContext', 'dynamodb.key', 's3.key', 'sqs.attribute']), ['age']];
  },
  'birth-year-over-89': (r) => {
    const y = r.int(1915, 1935);
    return [r.pick([`born-${y}`, `yob=${y}`, `birth_year: ${y}`, `dob-${y}`, `birthyear-${y}`, `year_of_birth=${y}`]), r.pick<Surface>(['tag', 'encryptionContext', 'dynamodb.key', 's3.key']), ['age']];
  },
  'person-date-in-path': (r) => {
    const d = isoDate(r);
    return [r.pick([`patients/${id.uuid(r)}/visits/${d}/notes.pdf`, `patients/${id.uuid(r)}/visits/${d}`, `patient/${r.hex(12)}/${d}/labs.json`, `members/${id.uuid(r)}/claims/${d}.json`, `pt/${r.hex(10)}/encounters/${d}/vitals.csv`, `patients/${id.uuid(r)}/admissions/${d.replace(/-/g, '')}/summary.pdf`]), 's3.key', ['date']];
  },
  'person-date-context': (r) => {
    const d = isoDate(r);
    return [r.pick([`PATIENT#${r.hex(8)}#VISIT#${d}`, `patient:${r.hex(8)}:encounter:${d}`]), r.pick<Surface>(['dynamodb.key', 'encryptionContext']), ['date']];
  },
  'restricted-zip3': (r) => {
    const z = r.pick(RESTRICTED_ZIP3);
    return [r.pick([`zip3=${z}`, `zip3: ${z}`, `zip-prefix-${z}`, `patient_zip3=${z}`, `zip3_${z}`, `ZIP3 ${z}`]), r.pick<Surface>(['tag', 'encryptionContext', 'sqs.attribute', 'dynamodb.key']), ['zip-code']];
  },
  'dicom-uid': (r) => {
    const u = dicomUid(r);
    return [r.pick([`studies/${u}/series/${dicomUid(r)}/instances/${dicomUid(r)}.dcm`, `StudyInstanceUID=${u}`, u, `dicom/${u}.dcm`, `SeriesInstanceUID: ${u}`, `SOPInstanceUID=${u}`]), r.pick<Surface>(['s3.key', 'tag', 'sqs.attribute', 'dynamodb.key', 'encryptionContext']), ['dicom-uid']];
  },
  'ssn-keyword': (r) => {
    const s = id.ssn(r).replace(/-/g, '');
    return [r.pick([`ssn ${s}`, `SSN#${s}`, `ssn_${s}`, `social=${s}`, `ssn-${s}`]), r.pick<Surface>(['tag', 'dynamodb.key', 'encryptionContext']), ['ssn']];
  },
  'ssn-bucket': (r) => [r.pick([`w9-${id.ssn(r)}`, `w2-${id.ssn(r)}-forms`, `tax-${id.ssn(r)}`, `1099-${id.ssn(r)}`]), 's3.bucket', ['ssn']],
  'mr-number': (r) => [r.pick([`MR#${r.digits(r.int(6, 9))}`, `MR# ${r.digits(7)}`, `mr-no-${r.digits(7)}`, `MR:${r.digits(8)}`, `med-rec-${r.digits(7)}`]), r.pick<Surface>(['tag', 'dynamodb.key', 's3.metadata', 'sqs.attribute']), ['mrn']],
  'drivers-licence': (r) => {
    const st = r.pick(STATES);
    const n = `${r.chars('ABCDEFGHJKLMNPRSTWY', 1)}${r.digits(7)}`;
    return [r.pick([`dl-${st}-${n}`, `DL: ${st} ${n}`, `drivers-license-${st}-${r.digits(8)}`, `${st}-DL-${n}`, `driver_license=${st}${r.digits(8)}`]), r.pick<Surface>(['tag', 'dynamodb.key', 'encryptionContext', 's3.key']), ['license-number']];
  },
  'licence-plate': (r) => {
    const p = r.pick([`${r.int(1, 9)}${r.chars('ABCDEFGHJKLMNPRSTVWXYZ', 3)}${r.digits(3)}`, `${r.chars('ABCDEFGHJKLMNPRSTVWXYZ', 3)}${r.digits(4)}`, `${r.chars('ABCDEFGHJKLMNPRSTVWXYZ', 3)}-${r.digits(4)}`]);
    return [r.pick([`plate=${p}`, `plate-${p}`, `license_plate: ${p}`, `plate ${p}`, `vehicle-plate-${p}`, `licensePlate=${p}`]), r.pick<Surface>(['tag', 'dynamodb.key', 'sqs.attribute', 'encryptionContext']), ['license-plate']];
  },
  'encounter-number': (r) => [r.pick([`encounter-${r.digits(9)}`, `enc#${r.digits(8)}`, `encounter_id=${r.digits(8)}`, `ENC-${r.digits(10)}`, `csn=${r.digits(10)}`]), r.pick<Surface>(['tag', 'dynamodb.key', 'sqs.attribute', 's3.key']), ['mrn']],
  'accession-number': (r) => [r.pick([`accession-${r.chars('ABCDEFGHJKLMNPRSTWY', 1)}${r.int(2019, 2025)}-${r.digits(7)}`, `ACC#${r.digits(8)}`, `accession_no=RAD${r.digits(6)}`, `accn-${r.digits(9)}`]), r.pick<Surface>(['tag', 'dynamodb.key', 's3.key', 'sqs.attribute']), ['mrn']],
  'mac-address': (r) => {
    const b = () => r.hex(2).toUpperCase();
    const m = [b(), b(), b(), b(), b(), b()];
    if (m[0] === '00' && m[1] === '00') m[1] = '1A';
    return [r.pick([m.join(':'), `mac=${m.join(':').toLowerCase()}`, `device-mac-${m.join('-')}`, `${m.slice(0, 2).join('')}.${m.slice(2, 4).join('')}.${m.slice(4).join('')}`.toLowerCase(), `wearable/${m.join(':')}/readings.json`]), r.pick<Surface>(['tag', 'dynamodb.key', 's3.key', 'sqs.attribute']), ['device-id']];
  },
  coordinates: (r) => {
    const lat = (r.int(25000, 48000) / 1000 + r.int(0, 999) / 1e6).toFixed(r.int(4, 6));
    const lon = (-(r.int(70000, 123000) / 1000) - r.int(0, 999) / 1e6).toFixed(r.int(4, 6));
    return [r.pick([`${lat},${lon}`, `lat=${lat}&lon=${lon}`, `geo:${lat},${lon}`, `home-location ${lat} ${lon}`, `latlng=${lat},${lon}`]), r.pick<Surface>(['tag', 's3.metadata', 'sqs.attribute', 'encryptionContext']), ['geo-location']];
  },
  'patient-city': (r) => {
    const c = r.pick(CITIES);
    return [r.pick([`patient-city: ${c}`, `patient_city=${c}`, `pt-town-${c.toLowerCase()}`, `patient#${r.digits(6)}#city#${c.toLowerCase()}`, `patient city ${c}`]), r.pick<Surface>(['tag', 'encryptionContext', 'dynamodb.key', 'sqs.attribute']), ['geo-location']];
  },
  'professional-licence': (r) => [r.pick([`RN-${r.digits(7)}`, `rn-license-RN${r.digits(6)}`, `medical-license-${r.chars('ABCDGM', 1)}${r.digits(6)}`, `md-lic-${r.chars('ABCDGM', 1)}${r.digits(5)}`, `nursing_license=${r.digits(8)}`, `LPN#${r.digits(6)}`]), r.pick<Surface>(['tag', 'dynamodb.key', 'encryptionContext', 'sqs.attribute']), ['license-number']],
  'account-in-path': (r) => [r.pick([`accounts/${r.digits(r.int(8, 10))}/statements/${r.int(2019, 2025)}-${pad2(r.int(1, 12))}.pdf`, `billing/accounts/${r.digits(9)}/invoice.pdf`, `patient-accounts/${r.digits(8)}/ledger.csv`, `acct/${r.digits(10)}/summary.json`]), 's3.key', ['account-number']],
};

export const SAFE_HARBOR_FAMILIES = Object.keys(FAMILIES);

/** One positive of the given family. */
export function safeHarbor(r: Rng, family: string): Positive {
  const [value, where, kinds] = FAMILIES[family]!(r);
  return { value, where, kinds, family };
}
