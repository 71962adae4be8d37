import { describe, expect, it } from 'vitest';
import { detectPhi, type PhiKind, type Surface } from './index.js';

function kinds(value: string, where: Surface = 'tag'): PhiKind[] {
  return detectPhi(value, { where }).map((f) => f.kind);
}

function spans(value: string, where: Surface = 'tag'): string[] {
  return detectPhi(value, { where }).map((f) => `${f.kind}:${value.slice(f.start, f.end)}`);
}

describe('detectPhi: positives per detector', () => {
  const cases: [string, PhiKind, Surface?][] = [
    ['patients/jane-doe/scan.pdf', 'name', 's3.key'],
    ['JaneDoe', 'name'],
    ['JANE_DOE', 'name'],
    ['janedoe', 'name'],
    ['Doe, Jane', 'name'],
    ['DOE^JANE', 'name'],
    ['patient-smith', 'name'],
    ['Referred by Dr. Okafor', 'name'],
    ['dob=1985-03-14', 'date'],
    ['DOB 3/14/85', 'date'],
    ['admitted-14-Mar-2024', 'date'],
    ['patient-2024-11-03', 'date', 's3.key'],
    ['(617) 555-0142', 'phone'],
    ['617.555.0142', 'phone'],
    ['+1 617 555 0142', 'phone'],
    ['+442079460958', 'phone'],
    ['fax_6175550142', 'phone'],
    ['jane.doe@gmail.com', 'email'],
    ['jane-doe-gmail-com', 'email'],
    ['jane.doe%40example.org', 'email'],
    ['jtorres_at_mercy_health_dot_org', 'email'],
    ['123-45-6789', 'ssn'],
    ['ssn=123456789', 'ssn'],
    ['912-70-1234', 'itin'],
    ['mrn-00123456', 'mrn'],
    ['member_id=W123456789', 'health-plan-id'],
    ['acct-5551234', 'account-number'],
    ['lic-D1234567', 'license-number'],
    ['1EG4-TE5-MK73', 'mbi'],
    ['1EG4TE5MK73', 'mbi'],
    ['provider/1234567893', 'npi'],
    ['2123456784', 'npi'],
    ['AB1234563', 'dea'],
    ['4111 1111 1111 1111', 'payment-card'],
    ['1HGCM82633A004352', 'vin'],
    ['serial-SN8F2K4L9Q7', 'device-id'],
    ['client 73.162.10.5', 'ip-address'],
    ['2001:4860:4860::8888', 'ip-address'],
    ['https://x.example.org/p?email=jane@x.com', 'url'],
    ['123 Main St', 'street-address'],
    ['PO Box 4471', 'street-address'],
    ['02139-4307', 'zip-code'],
    ['Boston, MA 02139', 'zip-code'],
  ];
  for (const [value, kind, where] of cases) {
    it(`${kind}: ${value}`, () => {
      expect(kinds(value, where)).toContain(kind);
    });
  }
});

describe('detectPhi: checksum and rule failures stay quiet', () => {
  const cases: [string, string][] = [
    ['000-12-3456', 'SSN area 000'],
    ['666-12-3456', 'SSN area 666'],
    ['123-00-4567', 'SSN group 00'],
    ['123-45-0000', 'SSN serial 0000'],
    ['900-12-3456', 'area 9xx outside ITIN groups'],
    ['1234567890', 'NPI check digit fails'],
    ['4111111111111112', 'card Luhn fails'],
    ['9111111111111111', 'no known issuer prefix'],
    ['AB1234564', 'DEA check digit fails'],
    ['1HGCM82633A004353', 'VIN check digit fails'],
    ['1SL4-TE5-MK73', 'MBI uses excluded letters'],
    ['111-555-0142', 'NANP area code cannot start with 1'],
    ['611-555-0142', 'N11 is not an area code'],
    ['10.0.12.7', 'private IPv4'],
    ['203.0.113.0/24', 'CIDR block'],
    ['fe80::1', 'link-local IPv6'],
    ['vol-049df61146c4d7901', 'AWS resource id'],
  ];
  for (const [value, why] of cases) {
    it(`${why}: ${value}`, () => {
      expect(kinds(value)).toEqual([]);
    });
  }
});

describe('detectPhi: hard negatives', () => {
  const cases: [string, Surface][] = [
    ['uploads/2024/11/03/3f2b8c1e-4a5d-4e6f-8a7b-9c0d1e2f3a4b.pdf', 's3.key'],
    ['logs/2024/11/03/', 's3.key'],
    ['patients/2024/11/03/batch-7.json', 's3.key'],
    ['2024-11-03T10:15:00.000Z', 'sqs.attribute'],
    ['1700000000', 'sqs.attribute'],
    ['01HF3Z8K9Q2W7X4Y5V6T0R1S2P', 'dynamodb.key'],
    ['2aFz9kL1mQ8rT3vW5xY7zB0cD4e', 'dynamodb.key'],
    ['507f1f77bcf86cd799439011', 'dynamodb.key'],
    ['e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', 's3.metadata'],
    ['47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=', 's3.metadata'],
    ['v1.2.3', 'tag'],
    ['version 10.2.3.4', 'tag'],
    // X.520 / X.509 OIDs (commonName, subjectAltName) are dotted quads in form.
    ['2.5.4.3', 's3.metadata'],
    ['oid:2.5.29.17', 'tag'],
    ['arn:aws:iam::123456789012:role/lambda-exec', 'encryptionContext'],
    ['account/123456789012', 'tag'],
    ['us-east-1', 'encryptionContext'],
    ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 's3.metadata'],
    ['RecordsStack-IntakeBucketF68F3FF0-1HGZ8XQ2JAB3C', 's3.bucket'],
    ['E11.9', 'tag'],
    ['ndc-00002-3227-30', 'tag'],
    // A form number chained after another digit group is part of a longer code (cf. `1099-123-45-6789`).
    ['parts/2024-1099-123-45-6789', 's3.key'],
    // A slugged `+` needs a country code first: not 12 (no such code), not a year.
    ['x--12-345-6789-01', 'tag'],
    ['logs__2024_11_03_1015', 'tag'],
    ['loinc-2345-7', 'tag'],
    ['patient', 'encryptionContext'],
    ['ssn', 'dynamodb.attributeName'],
    ['patients', 'dynamodb.table'],
    ['member-services-queue', 'sqs.queue'],
    ['max-retries', 'tag'],
    ['will-expire', 'tag'],
    ['Austin office shared drive', 'tag'],
    ['tenant', 'encryptionContext'],
    ['clinic-a', 'encryptionContext'],
    ['lab-results', 'encryptionContext'],
    ['aws:x-amz-cek-alg', 'encryptionContext'],
    ['115', 'encryptionContext'],
    ['records', 'encryptionContext'],
    // Fragments of encoded ids that spell names or labels once cut at camelCase humps.
    ['75f55426-809d-4eda-bea2-1ca92ffe2d09', 'dynamodb.key'],
    ['HXvrJrGiaCvlctoplQ==', 's3.metadata'],
    ['nlLesMihdHdwp/UR3uia6SwNAdkcME4=', 's3.metadata'],
    ['03YSn_JSXOLZdG9JMz3_jfOxQVX5L0JGXpfcqG1S2fnuW9XPRsSn_qw6AUO1YA', 'sqs.attribute'],
    ['19585123011', 'dynamodb.key'],
    // Generated resource names: a random hex suffix after a collection word is not an MRN.
    ['phiseal-example-patients-4347dd55', 'dynamodb.table'],
    ['patients-d1627927', 's3.bucket'],
    ['clinic-patients-8a1f04c2e9', 'sqs.queue'],
  ];
  for (const [value, where] of cases) {
    it(`${where}: ${value}`, () => {
      expect(spans(value, where)).toEqual([]);
    });
  }
});

describe('detectPhi: offsets and surfaces', () => {
  it('returns offsets into the value, ordered, without the text', () => {
    const value = 'patients/jane-doe/123-45-6789.pdf';
    const found = detectPhi(value, { where: 's3.key' });
    expect(found).toEqual([
      { kind: 'name', start: 9, end: 17 },
      { kind: 'ssn', start: 18, end: 29 },
    ]);
    expect(Object.keys(found[0]!)).toEqual(['kind', 'start', 'end']);
  });

  it('a slash date is a partition on an S3 key but a person date in free text next to a patient', () => {
    expect(kinds('patient/2024/11/03', 's3.key')).toEqual([]);
    expect(kinds('patient 11/03/2024', 'tag')).toEqual(['date']);
    expect(kinds('dob/2024/11/03', 's3.key')).toEqual(['date']);
    expect(kinds('service/2024/11/03/app.log', 's3.key')).toEqual([]);
    expect(kinds('date_of_service=11/03/2024', 'tag')).toEqual(['date']);
    expect(kinds('service_date: 2024-11-03', 'tag')).toEqual(['date']);
  });

  it('a name inside an email is reported as the email only', () => {
    expect(kinds('jane.doe@gmail.com')).toEqual(['email']);
  });

  it('an 11-digit NANP number is a phone inside a name, a numeric key on its own', () => {
    expect(kinds('fax_16175550142', 'dynamodb.attributeName')).toEqual(['phone']);
    expect(kinds('16175550142', 'dynamodb.key')).toEqual([]);
    expect(kinds('phone=16175550142', 'tag')).toEqual(['phone']);
  });

  it('an unlisted surname counts in camelCase or after a title, not after a first name in a slug', () => {
    expect(kinds('JaneRodkey', 'dynamodb.key')).toEqual(['name']);
    expect(kinds('dr-rodkey', 's3.key')).toEqual(['name']);
    expect(kinds('sol-compiler', 's3.bucket')).toEqual([]);
  });

  it('still reports a digit run after a patient label, and an explicit MRN in upper-case alphanumerics', () => {
    expect(kinds('patient-48812391', 'dynamodb.table')).toEqual(['mrn']);
    expect(kinds('mrn-A4481239', 's3.key')).toEqual(['mrn']);
  });

  it('returns nothing for an empty string and for non-strings', () => {
    expect(detectPhi('')).toEqual([]);
    expect(detectPhi(42 as unknown as string)).toEqual([]);
  });

  it('is not fooled by an NPI-valid number after a time label or standing alone as an epoch second', () => {
    expect(kinds('ts=1234567893')).toEqual([]);
    expect(kinds('1234567893', 'dynamodb.key')).toEqual([]);
    expect(kinds('npi=1234567893')).toEqual(['npi']);
    expect(kinds('providers/1234567893/claims', 's3.key')).toEqual(['npi']);
  });
});
