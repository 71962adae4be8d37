import { describe, expect, it } from 'vitest';
import { detectPhi, type Surface } from './index.js';

// Issue #15: every false-alarm class it lists gets a test. Each value holds no PHI.
describe('detectPhi: false alarms of issue #15 stay quiet', () => {
  const classes: [string, string, Surface][] = [
    // 1856243633 and 2024061915 pass the NPI check (Luhn over 80840 + the digits); as an epoch
    // second of 2015-2029 and a yyyymmddhh stamp they need an NPI label to count as an NPI.
    ['epoch second passing the NPI check, in an export name', 'exports/1856243633-report.csv', 's3.key'],
    ['epoch second passing the NPI check, in a TTL key', 'TTL#1856243633', 'dynamodb.key'],
    ['yyyymmddhh stamp passing the NPI check', 'hourly/2024061915/part-0.parquet', 's3.key'],
    ['image density suffix', 'logo@3x.png', 's3.key'],
    ['image density suffix with a fraction', 'assets/img/hero@1.5x.webp', 's3.key'],
    ['role mailbox', 'alerts@mercy-health.org', 'tag'],
    ['role mailbox of two role words', 'no-reply@example.com', 's3.metadata'],
    ['toll-free number', 'Call billing at 1-800-555-0199', 'tag'],
    ['toll-free number in parentheses', '(888) 555-0123', 's3.metadata'],
    ['IPv6 CIDR block', '2600:1f18:abcd:1200::/56', 'tag'],
    ['git remote', 'git@github.com:acme/records-api.git', 'tag'],
    ['word that is a first name: grace', 'grace-period', 'sqs.queue'],
    ['word that is a first name: ruby', 'ruby-3.3', 'tag'],
    ['word that is a first name: jasmine', 'jasmine-tests', 's3.bucket'],
    ['two words that are names', 'falcon-maple', 'sqs.queue'],
    ['two everyday words that are names', 'forest-green', 'tag'],
    ['tool named like a person', 'hazelcast', 'dynamodb.table'],
    ['AWS service named like a person', 'PollyVoiceJobs', 'dynamodb.table'],
    ['AWS service named like a person', 'kendra-index', 'sqs.queue'],
    ['EC2 Name tag naming a tool', 'Name=Jenkins', 'tag'],
    ['EC2 Name tag naming a role', 'Name=bastion', 'tag'],
    ['owner tag naming an AWS service', 'Owner=Polly', 'tag'],
    ['eponymous method', 'mann-whitney-u', 's3.key'],
    ['eponymous method', 'kaplan-meier-curves', 'dynamodb.table'],
    ['eponymous organisation', 'baylor-scott-white', 's3.bucket'],
    ['place made of names', 'san-jose-labs', 's3.bucket'],
    ['first name and software word', 'lisa-runtime', 'sqs.queue'],
    ['two English words run together', 'datastore', 'dynamodb.table'],
  ];
  for (const [what, value, where] of classes) {
    it(`${what}: ${value}`, () => {
      expect(detectPhi(value, { where })).toEqual([]);
    });
  }

  it('still reports an NPI with a label, and one outside the time window without', () => {
    expect(detectPhi('npi-1856243633', { where: 'tag' }).map((f) => f.kind)).toEqual(['npi']);
    expect(detectPhi('provider/1245319599', { where: 's3.key' }).map((f) => f.kind)).toEqual(['npi']);
  });

  it('still reports a person mailbox and a personal phone number', () => {
    expect(detectPhi('jane.doe@mercy-health.org', { where: 'tag' }).map((f) => f.kind)).toEqual(['email']);
    expect(detectPhi('617-555-0142', { where: 'tag' }).map((f) => f.kind)).toEqual(['phone']);
  });
});
