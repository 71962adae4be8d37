import { isConnector, L_MONTH, labelOf } from './labels.js';
import { CURATED, F_FIRST_TOP, S_LAST_TOP, F_FIRST, F_FIRST_COMMON, S_LAST, S_LAST_COMMON, W_COMMON, W_ENGLISH, W_TOOL } from './lexicon-format.js';
import { flagsOf, nameSpelling } from './lexicon.js';
import { syllabicName } from './syllables.js';

/**
 * Infrastructure vocabulary that follows a name-like word in keys and names and is never a
 * surname there (`carmen-service`, `patient-records`, `member-portal`), including words the
 * English lists lack (`prod`, `uat`, `qa`) and everyday words that are also census surnames.
 */
const STOP =
  'api app apps admin beta stage staging prod production dev test tests qa uat sandbox demo preview canary ' +
  'bucket buckets table tables queue queues topic topics stream streams key keys value values item items record records ' +
  'row rows column data dataset file files folder object objects blob image images photo photos video audio doc docs ' +
  'document documents report reports result results summary scan scans log logs event events message messages mail ' +
  'notification notifications alert alerts alarm metric metrics trace service services server worker workers job jobs ' +
  'task tasks cron batch pipeline build builds deploy deployment release version branch main master trunk tag tags label ' +
  'commit merge pull push hook hooks webhook lambda function handler role roles policy user users group groups account ' +
  'accounts tenant org team project region zone cluster node pod container instance volume snapshot backup archive export ' +
  'import upload uploads download cache session sessions token secret config settings param portal list lists index ' +
  'patient patients clinic clinics hospital lab labs radiology imaging pharmacy provider providers doctor nurse visit ' +
  'visits encounter encounters claim claims billing invoice payment payments insurance coverage eligibility referral ' +
  'order orders prescription medication allergy diagnosis procedure vital vitals note notes chart charts care health ' +
  'medical consent discharge admission appointment schedule triage emergency surgery therapy intake history ' +
  'primary secondary replica standby leader follower reader writer read write delete update create get put post patch ' +
  'head options retry retries timeout error errors failed failure success status check checks monitor dashboard hash ' +
  'digest checksum signature cert auth login logout password reset verify code codes customer client vendor partner ' +
  'member members subscriber guest visitor person people contact contacts address phone email name names first last ' +
  'middle full given family birth death date dates time year month week daily hourly weekly monthly new old temp tmp ' +
  'raw processed final draft public private internal external shared common core base default custom standard small ' +
  'large high low top bottom left right front back copy move sync run runner start stop begin end open close send ' +
  'fetch load save store restore id ids no num number mrn dob ssn acct lic dea npi mbi profile profiles ' +
  'big six free cash case price day lock cloud lower street north south east west central local remote global ' +
  'st ave av rd blvd dr ln way ct pl ter cir pkwy hwy avenue road lane drive court place boulevard ' +
  'outputs inputs assets drafts summaries templates downloads transport manager loader bridge adapter connector ' +
  'consumer producer router scheduler notifier gateway ingest listener proxy ops devops sre infra platform svc srv ' +
  'prd stg qas env cfg conf ci cd cdn dns vpc iam kms sqs sns ses ec ecs eks ecr efs rds elb alb nlb waf acm ssm ' +
  'aws gcp azure k8s kube helm repo repos git svn sdk cli ui ux web www http https ftp sftp ssh tcp udp grpc rest ' +
  'json yaml xml csv tsv pdf png jpg jpeg gif svg html css js ts py rb go jar war zip tar gz bz xz parquet avro orc ' +
  'etl elt dwh bi ml ai llm nlp ocr hl7 fhir dicom pacs ehr emr ris lis his cda ccd npi icd cpt loinc snomed ndc rx ' +
  'mgr svc ctl ctrl util utils lib libs pkg pkgs bin sbin usr var opt etc src dist out tmp ' +
  'inbound outbound incoming outgoing pending approved rejected active inactive enabled disabled legacy ' +
  'nightly weekly quarterly annual yearly q1 q2 q3 q4 fy lang sdk ext plugin plugins mod mods addon addons theme themes ' +
  // Software vocabulary: the second word of most package, service and repository names.
  'runtime wrapper helper helpers toolkit kit tooling toolchain codegen generator scraper crawler parser linter formatter ' +
  'compiler transpiler bundler middleware framework engine driver daemon agent bot bots gui tui proto protobuf schema ' +
  'schemas model models spec specs mock mocks stub stubs fixture fixtures sample samples example examples demos starter ' +
  'template boilerplate scaffold skeleton tutorial playground testing bench benchmark benchmarks perf profiler tracer ' +
  'tracing logger logging exporter importer converter migrator syncer watcher poller pool pools storage db database ' +
  'registry search finder resolver balancer apis graphql websocket socket ws rpc ipc mq pubsub pipe flow flows dag ' +
  'dump scrape crawl todo todos memo chem bio math stats viz plot plots graph graphs map maps tile tiles gov edu com net ' +
  'io dl llms rl gpt openai tech sec secops edge widget widgets component components state oauth sso jwt tokens secrets ' +
  'crypto cipher hashes signer validator validators checker lint linker loader toolbox utility utilities tool tools ' +
  'bootstrap setup installer launcher manager monitor dashboard console portal hub studio workspace lab notebook notebooks';

let stop: Set<string> | undefined;

/** True for infrastructure vocabulary that is never part of a name here. */
export function isStopWord(word: string): boolean {
  return (stop ??= new Set(STOP.split(' '))).has(word);
}

/**
 * Two-letter surnames common among US patients of Chinese, Vietnamese and Korean origin. Two
 * letters are too little evidence on their own: they count only beside a first name that is
 * not also a word (`wei-li`, `minh-vu`, `LI_WEI`).
 */
const SHORT_NAMES = new Set(['li', 'le', 'wu', 'xu', 'yu', 'hu', 'vu', 'vo', 'ly', 'lu', 'ng', 'ko', 'ji', 'ho', 'ma', 'do', 'ha', 'oh', 'he', 'na', 'ye', 'bo', 'ta', 'la', 'ba']);

/** What the name model knows about one word token. */
export type WordScore = {
  /** Evidence (0-3) that the word is a first name. */
  first: number;
  /** Evidence (0-3) that the word is a surname. */
  last: number;
  /** True for an everyday English word (SCOWL 10-20), a label or a stop word. */
  wordish: boolean;
  /** True for a word in no list at all. */
  unknown: boolean;
  /** True for a tool, product, service, code or place name (`jenkins`, `polly`). */
  tool: boolean;
};

/** Spelling score (mean trigram log-odds, eighths) from which an unknown word counts 1 as a name. */
export const SPELLING_NAME = 4;
/** Spelling score from which an unknown word counts 2, like a listed rarer name (`jiahao`, `bozena`). */
export const SPELLING_STRONG = 8;

/**
 * Scores token `value[s..e)` (lower-cased `word`) as part of a name, from the lexicon tiers
 * (see `tier`), or for an unknown word
 * spelled like a name 1 (trigram log-odds >= {@link SPELLING_NAME}) or 2 (>= {@link SPELLING_STRONG}),
 * anything else 0.
 */
export function scoreWord(value: string, s: number, e: number, word: string, out: WordScore): WordScore {
  const flags = flagsOf(value, s, e);
  const len = e - s;
  out.unknown = flags === 0;
  out.tool = (flags & W_TOOL) !== 0;
  if (isStopWord(word) || (labelOf(word) & ~L_MONTH) !== 0 || isConnector(word)) {
    // Infrastructure vocabulary and labels are never part of a name, whatever the lists say.
    out.wordish = true;
    out.first = 0;
    out.last = 0;
    return out;
  }
  const rareWord = (flags & W_ENGLISH) !== 0 && (flags & CURATED) === 0;
  // An everyday word (`forest`, `green`) is a word first; a rarer one (`maria`, `holly`) or a
  // tool name (`victor`, `hamilton`) only lowers a rare name, not a common one.
  const wordish = (flags & W_COMMON) !== 0 && (flags & CURATED) === 0;
  const tool = (flags & W_TOOL) !== 0;
  out.wordish = wordish;
  if (len === 2) {
    // Two-letter names (`Yu`, `Li`, `Vu`, `Oh`) serve as given names and surnames.
    out.first = out.last = SHORT_NAMES.has(word) ? 2 : 0;
    out.wordish = (flags & W_ENGLISH) !== 0;
    return out;
  }
  const first = tier(flags, F_FIRST, F_FIRST_COMMON, F_FIRST_TOP, wordish, tool, rareWord);
  const last = tier(flags, S_LAST, S_LAST_COMMON, S_LAST_TOP, wordish, tool, rareWord);
  // Given names pass into surnames and back (patronymics, `Nnamdi`, `Diep`): a listed name
  // counts 1 in the other role.
  out.first = Math.max(first, last >= 2 ? 1 : 0);
  out.last = Math.max(last, first >= 2 ? 1 : 0);
  if (flags === 0 && len >= 4 && pronounceable(word)) {
    const spelling = nameSpelling(value, s, e);
    const evidence = spelling >= SPELLING_STRONG || syllabicName(word) ? 2 : spelling >= SPELLING_NAME ? 1 : 0;
    out.first = evidence;
    out.last = evidence;
  }
  return out;
}

/**
 * Scores of words already seen, packed (first | last << 2 | wordish << 4 | unknown << 5 | tool << 6).
 * {@link scoreWord} depends on the lower-cased word alone, and keys repeat their vocabulary
 * (`uploads`, `reports`, `tenant`) from one check to the next: a hit skips the lexicon hash,
 * the stop-word, label and connector look-ups and the spelling model. Cleared when full, so
 * hostile input (every word new) costs one extra map insert per word and bounded memory.
 */
const seen = new Map<string, number>();
const SEEN_MAX = 4096;

/** {@link scoreWord} through the cache of words already seen; same result. */
export function scoreWordCached(value: string, s: number, e: number, word: string, out: WordScore): WordScore {
  const packed = seen.get(word);
  if (packed !== undefined) {
    out.first = packed & 3;
    out.last = (packed >> 2) & 3;
    out.wordish = (packed & 16) !== 0;
    out.unknown = (packed & 32) !== 0;
    out.tool = (packed & 64) !== 0;
    return out;
  }
  scoreWord(value, s, e, word, out);
  if (seen.size >= SEEN_MAX) seen.clear();
  seen.set(word, out.first | (out.last << 2) | (out.wordish ? 16 : 0) | (out.unknown ? 32 : 0) | (out.tool ? 64 : 0));
  return out;
}

/**
 * 3: a common name that is no everyday word; 2: a top-1,000 name that is an everyday word
 * (`brown`, `jack`), a common name that is a tool or place word (`victor`), or a listed rarer
 * name; 1: a rarer name that is a rare English word; 0: an everyday word that is only a rarer
 * name (`pack`, `pool`, `forest`) or not a name.
 */
function tier(flags: number, listed: number, common: number, top: number, wordish: boolean, tool: boolean, rareWord: boolean): number {
  if ((flags & common) !== 0) return wordish ? ((flags & top) !== 0 ? 2 : 0) : tool ? 2 : 3;
  if ((flags & listed) !== 0) return wordish || tool ? 0 : rareWord ? 1 : 2;
  return 0;
}

/**
 * At least a quarter vowels (y counted) and no more than four consonants in a row: names of
 * every origin pass (`Nkemdirim`, `Kowalczyk`, `Tuilagi`), encoded fragments do not.
 */
export function pronounceable(word: string): boolean {
  let vowels = 0;
  let run = 0;
  for (let i = 0; i < word.length; i++) {
    if ('aeiouy'.indexOf(word.charAt(i)) >= 0) {
      vowels++;
      run = 0;
    } else if (++run > 4) return false;
  }
  return vowels * 4 >= word.length;
}
