import { COMMON_LAST_NAMES, FIRST_NAMES, LAST_NAMES } from './name-data.js';

/**
 * Census first names that are everyday words in infrastructure strings (`max-retries`,
 * `will-expire`, `mark-complete`, `grace-period`, `ruby`, `echo`): never read as a first
 * name, which is what starts a name.
 */
const NOT_FIRST =
  'al ali alpha amber america angel april art athena august aurora autumn bell bill candy cherry chase crystal daisy dawn delta ' +
  'echo faith gene ginger grace grant hope iris ivy jack jade joy june king lane long love luna mark max may moon nova ok page ' +
  'pat pearl penny ray rich robin rose ruby sage spring star summer sun tiny van violet will winter young else an in so my ' +
  'de la le du di do ma mi ha ho ai lo to tu na no ni an on or id us eu ap sa me ca co ad see min dot';

/**
 * Words that follow a first name or a person label in infrastructure strings and are not
 * surnames there (`john-test`? no: `carmen-service`, `patient-records`, `member-portal`).
 * Colours, places and trades stay surnames: `john-green` is a name.
 */
const NOT_SURNAME =
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
  'medical consent discharge admission appointment schedule triage emergency surgery therapy intake portal history ' +
  'primary secondary replica standby leader follower reader writer read write delete update create get put post patch ' +
  'head options retry retries timeout error errors failed failure success status check checks monitor dashboard hash ' +
  'digest checksum signature cert auth login logout password reset verify code codes customer client vendor partner ' +
  'member members subscriber guest visitor person people contact contacts address phone email name names first last ' +
  'middle full given family birth death date dates time year month week daily hourly weekly monthly new old temp tmp ' +
  'raw processed final draft public private internal external shared common core base default custom standard small ' +
  'large high low top bottom left right front back copy move sync run runner start stop begin end open close send ' +
  'fetch load save store restore id ids no num number mrn dob ssn acct lic dea npi mbi key keys profile profiles ' +
  'big six free cash case price day list lock cloud helm runner reader leader power short strong little lower new ' +
  'street north south east west central local remote global st ave av rd blvd dr ln way ct pl ter cir pkwy hwy ' +
  'avenue road lane drive court place boulevard exports imports reports records scans notes labs claims files ' +
  'outputs inputs events jobs tasks assets drafts summaries templates uploads downloads transport manager loader ' +
  'bridge adapter connector consumer producer router scheduler notifier gateway ingest handler listener proxy';

let first: Set<string> | undefined;
let last: Set<string> | undefined;
let commonLast: Set<string> | undefined;
let firstPrefixes: Set<string> | undefined;
let anyFirst: Set<string> | undefined;

/** Undoes the front coding written by test/tools/derive-names.ts. */
function decode(coded: string): string[] {
  const names: string[] = [];
  let prev = '';
  for (const entry of coded.split(' ')) {
    const c = entry.charCodeAt(0);
    const shared = c <= 57 ? c - 48 : c - 55;
    prev = prev.slice(0, shared) + entry.slice(1);
    names.push(prev);
  }
  return names;
}

function load(): void {
  const notFirst = new Set(NOT_FIRST.split(' '));
  const notSurname = new Set(NOT_SURNAME.split(' '));
  anyFirst = new Set(decode(FIRST_NAMES).filter((n) => n.length >= 3 && !notSurname.has(n)));
  first = new Set([...anyFirst].filter((n) => !notFirst.has(n)));
  commonLast = new Set(decode(COMMON_LAST_NAMES).filter((n) => !notSurname.has(n)));
  last = new Set([...commonLast, ...decode(LAST_NAMES).filter((n) => !notSurname.has(n))]);
  firstPrefixes = new Set([...anyFirst].map((n) => n.slice(0, 3)));
  stop = notSurname;
}

let stop: Set<string> | undefined;

/** True for a bundled first name that is not also an everyday infrastructure word. */
export function isFirstName(word: string): boolean {
  if (first === undefined) load();
  return (first as Set<string>).has(word);
}

/** True for a bundled surname that is not also an everyday infrastructure word. */
export function isLastName(word: string): boolean {
  if (last === undefined) load();
  return (last as Set<string>).has(word);
}

/** True for one of the 5,000 most frequent surnames (minus infrastructure words). */
export function isCommonLastName(word: string): boolean {
  if (commonLast === undefined) load();
  return (commonLast as Set<string>).has(word);
}

/** True for a word that is never part of a name here (infrastructure vocabulary). */
export function isNotName(word: string): boolean {
  if (stop === undefined) load();
  return (stop as Set<string>).has(word);
}

/**
 * Any census first name of three letters or more, including the ones that are also words
 * (`max`, `grace`): usable only with a surname as further evidence (`max-lunsford`, `gracepulver`).
 */
export function isAnyFirstName(word: string): boolean {
  if (anyFirst === undefined) load();
  return (anyFirst as Set<string>).has(word);
}

/** Cheap pre-check for splitting run-together names: could `word` start with a first name? */
export function mayStartWithFirstName(word: string): boolean {
  if (firstPrefixes === undefined) load();
  return word.length >= 6 && (firstPrefixes as Set<string>).has(word.slice(0, 3));
}
