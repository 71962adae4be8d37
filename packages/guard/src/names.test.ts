import { describe, expect, it } from 'vitest';
import { detectPhi, type Surface } from './index.js';

function names(value: string, where: Surface = 'tag'): string[] {
  return detectPhi(value, { where }).filter((f) => f.kind === 'name').map((f) => value.slice(f.start, f.end));
}

// Issue #15: names of many origins, in every shape, with one listed token or none.
describe('detectPhi: names of many origins', () => {
  const cases: [string, string, Surface][] = [
    ['patients/oluwaseun-adeyemi/scan.pdf', 'oluwaseun-adeyemi', 's3.key'],
    ['Owner=Chidinma Okonkwo', 'Chidinma Okonkwo', 'tag'],
    ['ADEYEMI_OLUWASEUN', 'ADEYEMI_OLUWASEUN', 'dynamodb.attributeName'],
    ['Tesfaye, Meron', 'Tesfaye, Meron', 'tag'],
    ['patient#priyanka-venkataraman', 'priyanka-venkataraman', 'dynamodb.key'],
    ['intake-wei-li', 'wei-li', 's3.bucket'],
    ['visits_park_seungwoo', 'park_seungwoo', 'dynamodb.table'],
    ['NGUYEN^THI^LAN', 'NGUYEN^THI', 'sqs.attribute'],
    ['kowalczyk.wojciech', 'kowalczyk.wojciech', 's3.key'],
    ['sione-tuilagi-reminders', 'sione-tuilagi', 'sqs.queue'],
    ['Referral: Mariel Dimaculangan', 'Mariel Dimaculangan', 's3.metadata'],
    ['alias/patient-khalid-haddad', 'khalid-haddad', 'kms.alias'],
    ['uploads/mohammed_al-rashid/cxr.png', 'mohammed_al-rashid', 's3.key'],
  ];
  for (const [value, name, where] of cases) {
    it(`${where}: ${value}`, () => {
      expect(names(value, where)).toContain(name);
    });
  }

  it('reads names written with diacritics and apostrophes, with offsets into the original', () => {
    expect(names('Owner=José Hernández')).toEqual(['José Hernández']);
    expect(names('Łukasz Wójcik')).toEqual(['Łukasz Wójcik']);
    expect(names('Nguyễn Thị Lan')).toEqual(['Nguyễn Thị Lan']);
    expect(names("Mary O'Connor")).toEqual(["Mary O'Connor"]);
  });

  it('takes one listed name and one unlisted word spelled like a name, but not a word', () => {
    expect(names('john-okonkwadi', 's3.bucket')).toEqual(['john-okonkwadi']);
    expect(names('john-deploy', 's3.bucket')).toEqual([]);
    expect(names('john-kubectl', 's3.bucket')).toEqual([]);
  });
});
