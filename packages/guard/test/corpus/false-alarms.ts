// Hard negatives for every false-alarm class the issue lists: epoch seconds and yyyymmddhh
// stamps that pass the NPI check, image-density suffixes, role mailboxes, toll-free numbers,
// IPv6 CIDR blocks, git remotes, ordinary words that are also first names, eponymous methods
// and institutions, AWS services and tools named like people, standard OIDs, unrestricted
// three-digit ZIPs, ages and years that are not a person's.
import type { Surface } from '../../src/types.js';
import { luhnCheckDigit } from './identifiers.js';
import type { Negative } from './negatives.js';
import type { Rng } from './random.js';

const pad2 = (n: number) => String(n).padStart(2, '0');
const ORGS = ['mercy-health.org', 'example.com', 'clinic.example.org', 'acme-hospital.com', 'uhs.net', 'carefirst.example'];
const ROLES = ['alerts', 'noreply', 'no-reply', 'support', 'billing', 'security', 'admin', 'postmaster', 'info', 'devops', 'oncall', 'privacy', 'compliance', 'help', 'helpdesk', 'it-ops', 'hr', 'webmaster', 'abuse', 'notifications', 'donotreply', 'reports', 'intake', 'records', 'scheduling', 'pharmacy', 'radiology'];

/** A 10-digit number starting with `head` that passes the NPI check (Luhn over 80840 + digits). */
function npiPassing(r: Rng, head: () => string): string {
  for (;;) {
    const n = head();
    if (luhnCheckDigit(`80840${n.slice(0, 9)}`) === Number(n[9])) return n;
  }
}

const epoch = (r: Rng) => npiPassing(r, () => String(r.int(1_500_000_000, 1_890_000_000)));
const stamp = (r: Rng) => npiPassing(r, () => `${r.int(1990, 2026)}${pad2(r.int(1, 12))}${pad2(r.int(1, 28))}${pad2(r.int(0, 23))}`);

// Words that are also first names (SSA), as ordinary words in infrastructure strings.
const WORD_NAMES = ['summer-sale', 'page-size', 'grace-period', 'ruby-3.3', 'falcon-maple', 'jasmine-tests', 'will-retry', 'mark-complete', 'faith-based-partners', 'hope-chest', 'rich-text', 'chase-retries', 'max-connections', 'dawn-patrol', 'amber-alert', 'crystal-reports', 'ivy-league', 'sterling-silver', 'august-close', 'joy-ride', 'misty-forest', 'holly-berry', 'autumn-release', 'sunny-day', 'rocky-road', 'dusty-cache', 'penny-stock', 'angel-investor', 'destiny-map', 'harmony-sync', 'royal-blue', 'precious-metals', 'heather-moor', 'laurel-wreath', 'carol-singers', 'iris-scanner', 'gene-panel', 'ray-tracing', 'bill-pay', 'pat-down', 'art-assets', 'sage-green', 'basil-pesto', 'jade-plugin', 'ginger-ale', 'cherry-pick', 'olive-branch', 'forest-green', 'river-sync', 'skye-terrier'];
const EPONYMS = ['mann-whitney-u', 'kaplan-meier-curves', 'baylor-scott-white', 'johns-hopkins-feed', 'cedars-sinai-imports', 'kruskal-wallis-test', 'box-cox-transform', 'holt-winters-forecast', 'fisher-exact', 'bland-altman-plot', 'cox-regression', 'hardy-weinberg', 'black-scholes-model', 'dana-farber-referrals', 'sloan-kettering-sync', 'smith-waterman-align', 'needleman-wunsch', 'levenshtein-distance', 'dijkstra-routing', 'bellman-ford', 'diffie-hellman-params', 'reed-solomon-codes', 'kaiser-permanente-claims', 'mayo-clinic-portal', 'henry-ford-health', 'wells-fargo-lockbox', 'morgan-stanley-feed', 'hewlett-packard-printers', 'nelson-aalen', 'shapiro-wilk', 'benjamini-hochberg', 'michaelis-menten', 'cockcroft-gault-egfr', 'glasgow-coma-scale', 'apgar-score'];
const TOOLS = ['PollyVoiceJobs', 'polly-tts-queue', 'kendra-index', 'athena-results', 'macie-findings', 'cognito-users', 'aurora-postgres', 'hazelcast', 'hazelcast-cluster', 'jenkins-artifacts', 'travis-cache', 'hudson-builds', 'cassandra-cluster', 'django-static', 'victoria-metrics', 'grafana-loki', 'kafka-connect', 'luigi-tasks', 'celery-beat', 'sidekiq-jobs', 'jasmine-core', 'mocha-reports', 'karma-runner', 'hugo-site', 'jekyll-theme', 'sentry-sourcemaps', 'winston-logs', 'morgan-logger', 'apollo-server', 'athena-workgroup', 'sage-maker-notebooks', 'jupyter-hub', 'tableau-extracts', 'looker-cache', 'sherlock-alerts', 'watson-nlu', 'alexa-skills', 'siri-shortcuts', 'julia-kernels', 'crystal-lang', 'elixir-releases', 'rust-toolchain', 'oracle-exports', 'presto-queries', 'trino-catalog', 'druid-segments', 'flink-checkpoints', 'spark-history', 'helm-charts', 'consul-kv', 'vault-audit', 'nomad-jobs', 'envoy-access-logs', 'bazel-cache', 'gradle-wrapper', 'maven-repo', 'poetry-lock', 'sphinx-docs', 'cypress-videos', 'selenium-grid', 'locust-results', 'dagster-runs', 'airflow-logs', 'prefect-flows', 'keras-models', 'xgboost-artifacts', 'mistral-7b-eval', 'llama-finetune', 'claude-prompts', 'gemini-evals'];
const PLACES = ['sierra-nevada-clinic', 'austin-texas-office', 'jackson-memorial', 'virginia-mason-feed', 'madison-wisconsin', 'phoenix-arizona-dc', 'georgia-medicaid', 'carolina-east-imaging', 'santa-clara-valley', 'san-jose-labs', 'salem-oregon-hub', 'eugene-oregon-clinic'];
const OIDS = ['1.2.840.10008.1.2.1', '1.2.840.10008.5.1.4.1.1.2', '1.3.6.1.4.1.2021.10.1.3.1', '2.16.840.1.113883.6.1', '1.2.840.10045.3.1.7', '2.5.4.3', '1.3.6.1.5.5.7.3.1', '2.16.840.1.101.3.4.2.1'];

const FAMILIES: Record<string, (r: Rng) => [string, Surface]> = {
  'epoch-npi': (r) => [r.pick([`exports/${epoch(r)}-report.csv`, `TTL#${epoch(r)}`, `events/${epoch(r)}.json`, `snapshot-${epoch(r)}`, `backup_${epoch(r)}.tar.gz`, `session#${epoch(r)}`, `logs/app/${epoch(r)}/out.log`, `v=${epoch(r)}`]), r.pick<Surface>(['s3.key', 'dynamodb.key', 'tag', 'sqs.attribute'])],
  'stamp-npi': (r) => [r.pick([`exports/${stamp(r)}/batch.csv`, `run-${stamp(r)}`, `backup-${stamp(r)}.sql.gz`, `partition=${stamp(r)}`, `hourly/${stamp(r)}.parquet`]), r.pick<Surface>(['s3.key', 'tag', 'dynamodb.key'])],
  'density-suffix': (r) => [r.pick(['logo@3x.png', 'icon@2x.png', 'assets/img/hero@2x.jpg', 'sprite@1.5x.webp', `static/${r.pick(['avatar', 'banner', 'button', 'badge'])}@${r.int(2, 4)}x.png`, 'favicon@2x.ico']), r.pick<Surface>(['s3.key', 's3.metadata'])],
  'role-mailbox': (r) => [r.pick([`${r.pick(ROLES)}@${r.pick(ORGS)}`, `notify=${r.pick(ROLES)}@${r.pick(ORGS)}`, `Contact ${r.pick(ROLES)}@${r.pick(ORGS)}`]), r.pick<Surface>(['tag', 's3.metadata', 'sqs.attribute', 'encryptionContext'])],
  'toll-free': (r) => {
    const n = `${r.pick(['800', '888', '877', '866', '855', '844', '833'])}-${r.int(200, 999)}-${r.digits(4)}`;
    return [r.pick([`1-${n}`, `support-line: 1-${n}`, `Call ${r.pick(['us', 'billing', 'the help desk'])} at 1-${n}`, `(${n.slice(0, 3)}) ${n.slice(4)}`, `helpdesk ${n}`]), r.pick<Surface>(['tag', 's3.metadata', 'sqs.attribute'])];
  },
  'ipv6-cidr': (r) => [r.pick([`2001:db8:${r.hex(4)}::/48`, `2600:1f18:${r.hex(4)}:${r.hex(2)}00::/56`, `2a05:d018:${r.hex(3)}:${r.hex(4)}::/64`, `cidr=2600:1f14:${r.hex(4)}::/56`, `2406:da00:${r.hex(4)}::/40`]), r.pick<Surface>(['tag', 's3.metadata', 'encryptionContext'])],
  'git-remote': (r) => [r.pick([`git@github.com:${r.pick(['acme', 'clinic-eng', 'platform'])}/${r.pick(['records-api', 'infra', 'intake'])}.git`, `git@gitlab.example.com:team/app.git`, `ssh://git@bitbucket.org/org/repo.git`, `git@ssh.dev.azure.com:v3/org/proj/repo`]), r.pick<Surface>(['tag', 's3.metadata'])],
  'word-name': (r) => {
    const w = r.pick(WORD_NAMES);
    return [r.pick([w, `${w}-${r.pick(['v2', 'prod', 'queue'])}`, `config/${w}.yaml`]), r.pick<Surface>(['sqs.queue', 's3.bucket', 'dynamodb.table', 's3.key', 'tag'])];
  },
  eponym: (r) => [r.pick(EPONYMS), r.pick<Surface>(['s3.bucket', 'dynamodb.table', 'sqs.queue', 'tag', 's3.key'])],
  tool: (r) => [r.pick(TOOLS), r.pick<Surface>(['s3.bucket', 'dynamodb.table', 'sqs.queue', 'tag', 'kms.alias'])],
  place: (r) => [r.pick(PLACES), r.pick<Surface>(['s3.bucket', 'sqs.queue', 'tag'])],
  'standard-oid': (r) => [r.pick([r.pick(OIDS), `transfer-syntax=${r.pick(OIDS)}`, `oid:${r.pick(OIDS)}`]), r.pick<Surface>(['tag', 's3.metadata', 'sqs.attribute'])],
  'zip3-unrestricted': (r) => {
    let z = String(r.int(10, 999)).padStart(3, '0');
    if (['036', '059', '063', '102', '203', '556', '692', '790', '821', '823', '830', '831', '878', '879', '884', '890', '893'].includes(z)) z = '021';
    return [r.pick([`zip3=${z}`, `zip3: ${z}`, `region-zip3-${z}`]), r.pick<Surface>(['tag', 'encryptionContext'])];
  },
  'age-ok': (r) => [r.pick([`age-${r.int(18, 89)}`, `max-age=${r.int(90, 3600)}`, `cache-max-age-${r.int(90, 86400)}`, `retention-age-${r.int(90, 400)}-days`, `age_bucket=65-89`, `ttl-age=${r.int(90, 999)}`]), r.pick<Surface>(['tag', 'encryptionContext', 's3.metadata'])],
  'year-ok': (r) => [r.pick([`since-${r.int(1910, 1935)}`, `founded-${r.int(1900, 1935)}`, `established ${r.int(1890, 1935)}`, `archive/${r.int(1920, 1935)}/census-tables.csv`, `vintage-${r.int(1920, 1935)}`]), r.pick<Surface>(['tag', 's3.key', 's3.metadata'])],
  'mac-like': (r) => [r.pick(['00:00:00:00:00:00', 'ff:ff:ff:ff:ff:ff', `12:30:45`, `time=${pad2(r.int(0, 23))}:${pad2(r.int(0, 59))}:${pad2(r.int(0, 59))}`, `ratio 16:9:4`, `fe80::1`]), r.pick<Surface>(['tag', 's3.metadata'])],
  'coord-like': (r) => [r.pick([`${r.int(1, 9)}.${r.int(0, 9)},${r.int(1, 9)}.${r.int(0, 9)}`, `scale=1.5,2.0`, `version 3.12,3.13`, `weights=0.25,0.75`, `bbox=-180,-90,180,90`]), r.pick<Surface>(['tag', 's3.metadata', 'sqs.attribute'])],
};

export const FALSE_ALARM_FAMILIES = Object.keys(FAMILIES);

/** One hard negative of the given family. */
export function falseAlarm(r: Rng, family: string): Negative {
  const [value, where] = FAMILIES[family]!(r);
  return { value, where, family };
}
