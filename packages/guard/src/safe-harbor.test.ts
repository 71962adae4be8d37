import { describe, expect, it } from 'vitest';
import { detectPhi, type PhiKind, type Surface } from './index.js';

function kinds(value: string, where: Surface = 'tag'): PhiKind[] {
  return [...new Set(detectPhi(value, { where }).map((f) => f.kind))];
}

// Issue #15: the Safe Harbor identifiers the guard did not know, and keyword-led forms.
describe('detectPhi: Safe Harbor kinds added for issue #15', () => {
  const cases: [string, PhiKind, Surface?][] = [
    ['patient-age: 92', 'age'],
    ['age-104', 'age', 's3.key'],
    ['age_years=97', 'age', 'encryptionContext'],
    ['91-year-old', 'age'],
    ['born-1931', 'age', 'dynamodb.key'],
    ['birth_year: 1928', 'age'],
    ['patients/3f2b8c1e-4a5d-4e6f-8a7b-9c0d1e2f3a4b/visits/2024-06-19/notes.pdf', 'date', 's3.key'],
    ['PATIENT#a1b2c3d4#VISIT#2024-06-19', 'date', 'dynamodb.key'],
    ['zip3=036', 'zip-code'],
    ['zip-prefix-893', 'zip-code'],
    ['1.2.840.113619.2.55.3.604688119.969.1268071029.320', 'dicom-uid'],
    ['studies/2.25.329800735698586629295641978511506172918/series.dcm', 'dicom-uid', 's3.key'],
    ['ssn 219099999', 'ssn'],
    ['w9-123-45-6789', 'ssn', 's3.bucket'],
    ['1099-123-45-6789', 'ssn', 's3.bucket'],
    ['_49_30_96684404', 'phone', 'dynamodb.attributeName'],
    ['9d13_fm6_nd31', 'mbi', 'dynamodb.attributeName'],
    ['alias/tenant--44-20-6565-3712', 'phone', 'kms.alias'],
    ['tax_1040_123_45_6789', 'ssn', 's3.bucket'],
    ['MR#12345678', 'mrn'],
    ['encounter-884422113', 'mrn'],
    ['accession-A2024-0012345', 'mrn'],
    ['dl-CA-A1234567', 'license-number'],
    ['RN-1234567', 'license-number'],
    ['plate=7ABC123', 'license-plate'],
    ['licensePlate=ABC-1234', 'license-plate'],
    ['00:1A:2B:3C:4D:5E', 'device-id'],
    ['device-mac-FB-37-B8-C0-E9-6D', 'device-id', 's3.key'],
    ['40.712776,-74.005974', 'geo-location'],
    ['lat=40.7128&lon=-74.0060', 'geo-location'],
    ['patient-city: Fresno', 'geo-location'],
    ['accounts/12345678/statements/2024-05.pdf', 'account-number', 's3.key'],
  ];
  for (const [value, kind, where] of cases) {
    it(`${kind}: ${value}`, () => {
      expect(kinds(value, where)).toContain(kind);
    });
  }
});

describe('detectPhi: near misses of the new kinds stay quiet', () => {
  const cases: [string, Surface][] = [
    ['age-45', 'tag'],
    ['max-age=120', 'tag'],
    ['cache-max-age-90', 'tag'],
    ['retention-age-120-days', 'tag'],
    ['founded-1920', 'tag'],
    ['zip3=021', 'tag'],
    ['1.2.840.10008.1.2.1', 'tag'],
    ['2.16.840.1.113883.6.1', 'tag'],
    ['1.3.6.1.4.1.2021.10.1.3.1', 'tag'],
    ['00:00:00:00:00:00', 'tag'],
    ['2024-11-03-10-15-00', 'tag'],
    ['weights=0.25,0.75', 'tag'],
    ['city=Boston', 'tag'],
    ['logs/2024/11/03/events.gz', 's3.key'],
    ['patients/2020/10/25/10e13ed7-6006-4f4a-b9c4-bce885a76e27.pdf', 'dynamodb.key'],
    ['accounts/123456789012/cur-report', 's3.key'],
  ];
  for (const [value, where] of cases) {
    it(`${where}: ${value}`, () => {
      expect(detectPhi(value, { where })).toEqual([]);
    });
  }
});
