// Realistic values that are not PHI, and the hard negatives the issue lists: generated ids,
// digests, versions, timestamps, AWS names, medical codes without a person, numbers that
// fail the identifier checksums, and labels without values.
import type { Surface } from '../../src/types.js';
import * as id from './identifiers.js';
import type { Rng } from './random.js';

export type Negative = { value: string; where: Surface; family: string };

const B62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const B64 = B62 + '+/';
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const pad2 = (n: number) => String(n).padStart(2, '0');
const WORDS = ['uploads', 'reports', 'intake', 'scans', 'labs', 'lab-results', 'imaging', 'exports', 'archive', 'raw', 'processed', 'claims', 'billing', 'referrals', 'notes', 'patients', 'records', 'audit', 'events', 'invoices', 'tenants', 'clinic-a', 'clinic-b', 'east', 'primary', 'replica', 'staging', 'prod', 'dev'];
const REGIONS = ['us-east-1', 'us-east-2', 'us-west-2', 'eu-west-1', 'eu-central-1', 'ap-southeast-2', 'ca-central-1', 'sa-east-1'];

// Project code names and components, the way teams name services, queues and buckets.
const CODENAMES = [
  'apollo', 'atlas', 'aurora', 'beacon', 'falcon', 'phoenix', 'mercury', 'jupiter', 'orion', 'hermes', 'athena', 'sierra', 'dakota',
  'sterling', 'summit', 'harbor', 'compass', 'lighthouse', 'starlight', 'nimbus', 'cobalt', 'granite', 'maple', 'willow', 'cedar',
  'aspen', 'juniper', 'sequoia', 'tundra', 'everest', 'denali', 'olympus', 'voyager', 'pioneer', 'mariner', 'ranger', 'scout',
  'hunter', 'carter', 'parker', 'morgan', 'taylor', 'jordan', 'austin', 'madison', 'chase', 'hudson', 'logan', 'quinn', 'riley',
  'markdown', 'transport', 'manager', 'metadata', 'pipeline', 'gateway', 'lambda', 'kinesis', 'triage', 'intake', 'referral',
];
const COMPONENTS = [
  'api', 'worker', 'events', 'queue', 'dlq', 'store', 'cache', 'index', 'ingest', 'export', 'sync', 'router', 'scheduler', 'notifier',
  'auth', 'gateway', 'service', 'web', 'assets', 'logs', 'audit', 'metrics', 'jobs', 'reports', 'uploads', 'backup', 'archive',
  'transport', 'manager', 'loader', 'bridge', 'adapter', 'connector', 'handler', 'consumer', 'producer', 'stream', 'table', 'bucket',
];

// Free-text tag and metadata values as teams write them (descriptions, owners, notes).
const PROSE = [
  'Managed by Terraform', 'Created by CloudFormation stack records-prod', 'Backup policy: daily, retain 35 days', 'Do not delete - used by billing reconciliation',
  'Will be removed after the Q3 migration', 'Mark for review before release', 'Grant read access to the analytics role', 'Bill to cost center 4410',
  'Owner team: data platform', 'Contains de-identified lab results only', 'Nightly export of claims to the warehouse', 'May contain test fixtures only',
  'Rotated every 90 days', 'Lambda function for intake processing', 'Patient portal static assets', 'Static website for the clinic locator',
  'Dead letter queue for referral events', 'Encrypted with the tenant key', 'Retention: 7 years per records policy', 'Scheduled for deletion on request',
  'Compliance scope: HIPAA', 'Data classification: restricted', 'Ask in #platform-oncall before changing', 'Replica of the primary table in us-west-2',
  'Used by the appointment reminder service', 'Chase payment retries for failed invoices', 'Hope to retire this bucket next year', 'Rich text templates for discharge summaries',
  'Grace period for expired sessions', 'Max concurrency 50', 'Mark Complete handler', 'Faith-based clinic partner feed', 'Page size 100',
  'Victoria region failover bucket', 'Austin office shared drive', 'Jordan valley clinic imports', 'Georgia Medicaid eligibility batch', 'Virginia data center lease',
  'Carolina partner SFTP drop', 'Lincoln branch reports', 'Washington state claims feed', 'Phoenix rollout phase 2', 'Dallas office printers',
  'Sterling bank statements import', 'Warren county health department', 'Madison clinic scanners', 'Marshall Islands public health program',
  'Jenkins build cache', 'Ruby on Rails app assets', 'Julia notebooks for the ML team', 'Crystal reports export', 'Ansible playbook outputs',
  'Apache Kafka connector offsets', 'Grafana dashboards backup', 'Amazon Linux 2023 AMI', 'Canary deployment 10 percent',
];

function iso(r: Rng): string {
  return `${r.int(2019, 2026)}-${pad2(r.int(1, 12))}-${pad2(r.int(1, 28))}T${pad2(r.int(0, 23))}:${pad2(r.int(0, 59))}:${pad2(r.int(0, 59))}${r.pick(['Z', '.123Z', '+00:00', ''])}`;
}

function family(r: Rng, name: string): [string, Surface] {
  const w = () => r.pick(WORDS);
  const acct = `${r.int(1, 9)}${r.digits(11)}`;
  switch (name) {
    case 'uuid': return [r.pick([`${w()}/${id.uuid(r)}.json`, id.uuid(r), `${w()}/${r.int(2019, 2026)}/${pad2(r.int(1, 12))}/${pad2(r.int(1, 28))}/${id.uuid(r)}.pdf`]), r.pick(['s3.key', 'dynamodb.key', 'encryptionContext'])];
    case 'ulid': return [r.pick([`01${r.chars(CROCKFORD, 24)}`, `${w()}/01${r.chars(CROCKFORD, 24)}`]), r.pick(['dynamodb.key', 's3.key', 'sqs.attribute'])];
    case 'ksuid': return [r.pick([r.chars(B62, 27), `evt_${r.chars(B62, 27)}`]), r.pick(['dynamodb.key', 'sqs.attribute'])];
    case 'objectid': return [r.pick([r.hex(24), `doc-${r.hex(24)}`]), r.pick(['dynamodb.key', 's3.key'])];
    case 'digest': return [r.pick([r.hex(32), r.hex(40), r.hex(64), `sha256:${r.hex(64)}`, `${w()}/${r.hex(64)}.bin`, r.hex(64).toUpperCase()]), r.pick(['s3.key', 'tag', 's3.metadata', 'encryptionContext'])];
    case 'base64': return [r.pick([r.chars(B64, 43) + '=', r.chars(B64, 22) + '==', r.chars(B64, 88)]), r.pick(['s3.metadata', 'encryptionContext', 'sqs.attribute'])];
    case 'git': return [r.pick([r.hex(7), r.hex(40), `build-${r.hex(7)}`, `commit=${r.hex(40)}`]), r.pick(['tag', 's3.metadata'])];
    case 'semver': return [r.pick([`${r.int(0, 12)}.${r.int(0, 40)}.${r.int(0, 99)}`, `v${r.int(0, 12)}.${r.int(0, 40)}.${r.int(0, 99)}`, `${r.int(1, 5)}.${r.int(0, 20)}.${r.int(0, 20)}-rc.${r.int(1, 9)}`, `app-v${r.int(1, 9)}.${r.int(0, 30)}.${r.int(0, 9)}+build.${r.int(1, 9999)}`, `release-${r.int(1, 9)}.${r.int(0, 9)}.${r.int(0, 9)}.${r.int(0, 999)}`]), r.pick(['tag', 's3.metadata', 's3.key'])];
    case 'build': return [r.pick([`build-${r.int(1, 99999)}`, `build/${r.int(2019, 2026)}${pad2(r.int(1, 12))}${pad2(r.int(1, 28))}.${r.int(1, 99)}`, `ci-run-${r.digits(10)}`, `pipeline-${r.int(1, 9999)}`, `job-${r.digits(8)}`]), r.pick(['tag', 's3.key', 'sqs.attribute'])];
    case 'timestamp': return [r.pick([iso(r), `${w()}/${iso(r)}.json`, `ts=${iso(r)}`, `created_at: ${iso(r)}`]), r.pick(['s3.key', 'tag', 'sqs.attribute', 's3.metadata'])];
    case 'epoch': return [r.pick([`${r.int(1500000000, 1900000000)}`, `${r.int(1500000000, 1900000000)}${r.digits(3)}`, `ts-${r.int(1500000000, 1900000000)}`, `${w()}/${r.int(1500000000, 1900000000)}.json`, `expires=${r.int(1500000000, 1900000000)}`]), r.pick(['s3.key', 'sqs.attribute', 'tag', 'dynamodb.key'])];
    case 'arn': return [r.pick([`arn:aws:kms:${r.pick(REGIONS)}:${acct}:key/${id.uuid(r)}`, `arn:aws:s3:::${w()}-${acct}`, `arn:aws:iam::${acct}:role/${w()}-lambda-role`, `arn:aws:sqs:${r.pick(REGIONS)}:${acct}:${w()}-queue`, `arn:aws:dynamodb:${r.pick(REGIONS)}:${acct}:table/${w()}`]), r.pick(['encryptionContext', 'tag', 's3.metadata'])];
    case 'account': return [r.pick([acct, `account-id=${acct}`, `aws-account-${acct}`, `owner: ${acct}`]), r.pick(['tag', 'encryptionContext'])];
    case 'resource': return [r.pick([`i-0${r.hex(16)}`, `vol-0${r.hex(16)}`, `sg-0${r.hex(16)}`, `subnet-0${r.hex(16)}`, `vpc-${r.hex(8)}`, `ami-0${r.hex(16)}`, `eni-0${r.hex(16)}`, `snap-0${r.hex(16)}`]), r.pick(['tag', 'encryptionContext', 's3.metadata'])];
    case 'region': return [r.pick([...REGIONS, `${w()}-${r.pick(REGIONS)}`, `${r.pick(REGIONS)}a`]), r.pick(['tag', 'encryptionContext', 's3.bucket'])];
    case 'content-type': return [r.pick(['application/json', 'application/pdf', 'image/png', 'text/csv; charset=utf-8', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'application/fhir+json', 'multipart/form-data; boundary=----' + r.hex(16), 'application/dicom']), r.pick(['s3.metadata', 'sqs.attribute'])];
    case 'cdk': return [r.pick([`${r.pick(['Clinic', 'Intake', 'Records', 'Billing'])}Stack-${r.pick(['Bucket', 'Table', 'Queue', 'Handler'])}${r.hex(8).toUpperCase()}-${r.chars('ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789', 12)}`, `${r.pick(['Api', 'Patient', 'Ingest'])}${r.pick(['Function', 'Handler', 'Role'])}ServiceRole${r.hex(8).toUpperCase()}`, `cdk-hnb659fds-assets-${acct}-${r.pick(REGIONS)}`, `${r.pick(['records', 'intake'])}-stack-${r.pick(['queue', 'bucket'])}${r.chars('abcdefghijklmnopqrstuvwxyz0123456789', 13)}`]), r.pick(['s3.bucket', 'sqs.queue', 'dynamodb.table', 'tag'])];
    case 'checksum-fail': return [r.pick([id.invalidSsn(r), id.npi(r, false), id.card(r, false), id.dea(r, false), id.vin(r, false), `npi-${id.npi(r, false)}`, `${w()}/${id.card(r, false)}`]), r.pick(['s3.key', 'tag', 'dynamodb.key'])];
    case 'medical-code': return [r.pick([`icd10-${r.pick(['E11.9', 'I10', 'J45.909', 'M54.5', 'Z00.00', 'F32.A'])}`, `cpt-${r.int(10000, 99499)}`, `ndc-${r.digits(5)}-${r.digits(4)}-${r.digits(2)}`, `ndc:${r.digits(4)}-${r.digits(4)}-${r.digits(2)}`, `loinc-${r.int(1000, 99999)}-${r.int(0, 9)}`, `${r.pick(['E11.9', 'I10'])}`, `snomed-${r.digits(9)}`]), r.pick(['tag', 'dynamodb.attributeName', 's3.key', 'encryptionContext'])];
    case 'label-only': return [r.pick(['patient', 'ssn', 'dob', 'mrn', 'member_id', 'patient_name', 'first_name', 'last_name', 'date_of_birth', 'phoneNumber', 'emailAddress', 'ssn_last4', 'patientId', 'npi', 'address', 'zip']), r.pick(['dynamodb.attributeName', 'encryptionContext', 'tag'])];
    case 'partition': return [r.pick([`logs/${r.int(2019, 2026)}/${pad2(r.int(1, 12))}/${pad2(r.int(1, 28))}/${r.hex(8)}.gz`, `year=${r.int(2019, 2026)}/month=${pad2(r.int(1, 12))}/day=${pad2(r.int(1, 28))}/part-00000.parquet`, `${w()}/dt=${r.int(2019, 2026)}-${pad2(r.int(1, 12))}-${pad2(r.int(1, 28))}/data.csv`, `patients/${r.int(2019, 2026)}/${pad2(r.int(1, 12))}/${pad2(r.int(1, 28))}/batch-${r.int(1, 99)}.json`]), 's3.key'];
    case 'private-ip': return [r.pick([id.privateIpv4(r), `10.${r.int(0, 255)}.0.0/16`, `${id.publicIpv4(r).replace(/\.\d+$/, '.0')}/24`, `ip-10-${r.int(0, 255)}-${r.int(0, 255)}-${r.int(1, 254)}.ec2.internal`, 'fe80::1ff:fe23:4567:890a', '::1', `nat-gateway ${id.publicIpv4(r)}`]), r.pick(['tag', 's3.metadata', 'encryptionContext'])];
    case 'context': return [r.pick(['tenant', 'clinic-a', 'purpose', 'lab-results', 'table', 'patients', 'aws:x-amz-cek-alg', '115', 'service', 'records', 'aws-crypto-public-key', 'department', 'cardiology', 'env', 'production', 'data-class', 'phi', 'app', 'intake-api', 'stage', 'v2']), 'encryptionContext'];
    case 'infra': return [r.pick([`${w()}-${w()}-${r.pick(['prod', 'dev', 'staging'])}`, `${w()}-${r.pick(REGIONS)}-${acct}`, `alias/${w()}-key`, `alias/aws/s3`, `${w()}-queue.fifo`, `${w()}-dlq`, `${w()}_${w()}`, `${w()}/${w()}/summary.csv`, `${w()}Index`, `gsi1pk`, `TENANT#clinic-${r.int(1, 99)}#${w().toUpperCase()}`, `Cost center ${r.int(1000, 9999)}`, `team-${w()}`, `max-retries-${r.int(1, 9)}`, `will-expire-${r.int(1, 30)}d`, `grace-period-${r.int(1, 30)}`, `mark-complete`, `member-services`, `provider-directory`, `patient-portal`, `ruby-${r.int(2, 3)}.${r.int(0, 3)}`]), r.pick(['s3.bucket', 'dynamodb.table', 'sqs.queue', 'kms.alias', 'tag', 's3.key', 'dynamodb.attributeName'])];
    case 'codename': {
      const name = `${r.pick(CODENAMES)}-${r.pick(COMPONENTS)}${r.chance(0.3) ? `-${r.pick(['prod', 'dev', 'staging', 'v2', 'blue', 'green'])}` : ''}`;
      const where = r.pick<Surface>(['s3.bucket', 'sqs.queue', 'dynamodb.table', 'kms.alias', 'tag']);
      return [where === 'kms.alias' ? `alias/${name}` : where === 'dynamodb.table' && r.chance(0.5) ? name.replace(/(^|-)([a-z])/g, (_m, _d: string, c: string) => c.toUpperCase()) : name, where];
    }
    case 'prose': return [r.pick(PROSE), r.pick(['tag', 's3.metadata', 'sqs.attribute'])];
    default: return [`${w()}`, 'tag'];
  }
}

const FAMILIES = ['codename', 'codename', 'prose', 'prose', 'uuid', 'ulid', 'ksuid', 'objectid', 'digest', 'base64', 'git', 'semver', 'build', 'timestamp', 'epoch', 'arn', 'account', 'resource', 'region', 'content-type', 'cdk', 'checksum-fail', 'medical-code', 'label-only', 'partition', 'private-ip', 'context', 'infra', 'infra', 'infra'];

/** One generated negative: a family at random, then a realistic value of it. */
export function negative(r: Rng): Negative {
  const name = r.pick(FAMILIES);
  const [value, where] = family(r, name);
  return { value, where, family: name };
}
