// Label words: the words people put before an identifier. Safe Harbor names the
// identifier types; these are the spellings they take in keys, tags and column names.

export const L_SSN = 1 << 0;
export const L_ITIN = 1 << 1;
export const L_PHONE = 1 << 2;
export const L_MRN = 1 << 3;
export const L_PLAN = 1 << 4;
export const L_ACCT = 1 << 5;
export const L_LIC = 1 << 6;
export const L_DEVICE = 1 << 7;
export const L_NPI = 1 << 8;
export const L_DEA = 1 << 9;
/** Birth, death, admission, discharge, service: a date after it is a person's date. */
export const L_DATE = 1 << 10;
/** A person or patient token: a date or an id next to it belongs to a person. */
export const L_PERSON = 1 << 11;
/** A word after which a single first or last name is a name (`patient-smith`, `dr-jones`). */
export const L_NAME = 1 << 12;
/** Time words: the number after them is an epoch time, not an NPI. */
export const L_TIME = 1 << 13;
/** Version words: `1.2.3.4` after them is a version, not an IPv4 address. */
export const L_VERSION = 1 << 14;
/** Network infrastructure words: addresses after them are infrastructure, not a person's. */
export const L_INFRA = 1 << 15;
/** AWS account words: 12 digits after them are an AWS account id. */
export const L_AWS = 1 << 16;
export const L_ZIP = 1 << 17;
export const L_EMAIL = 1 << 18;
export const L_MBI = 1 << 19;
export const L_VIN = 1 << 20;
export const L_IP = 1 << 21;
/** Titles and name fields: the word after them is a name even when it is not in the bundled lists. */
export const L_TITLE = 1 << 22;
/** Month names and abbreviations (`Mar 14, 1985`): lets the date scanner skip other words cheaply. */
export const L_MONTH = 1 << 23;
/** Licence plates (`plate=7ABC123`). */
export const L_PLATE = 1 << 24;
/** Age words: a number after them over 89 is an age Safe Harbor aggregates. */
export const L_AGE = 1 << 25;
/** Birth-year words: a year after them before 1937 implies an age over 89. */
export const L_BIRTH_YEAR = 1 << 26;
/** Place words after a person token: `patient-city: Fresno`. */
export const L_CITY = 1 << 27;
/** Coordinate words: `lat=40.7128`, `geo:`. */
export const L_GEO = 1 << 28;
/** DICOM UID attribute names: `StudyInstanceUID=…`. */
export const L_UID = 1 << 29;

/** All labels that introduce an identifier value. */
export const L_ID_ANY = L_SSN | L_ITIN | L_PHONE | L_MRN | L_PLAN | L_ACCT | L_LIC | L_DEVICE | L_NPI | L_DEA | L_ZIP | L_MBI | L_VIN | L_PLATE;

const TABLE: Record<string, number> = {
  ssn: L_SSN,
  ssns: L_SSN,
  social: L_SSN,
  socsec: L_SSN,
  ssnum: L_SSN,
  tin: L_SSN | L_ITIN,
  taxid: L_SSN | L_ITIN,
  itin: L_ITIN,
  phone: L_PHONE,
  phones: L_PHONE,
  tel: L_PHONE,
  telephone: L_PHONE,
  mobile: L_PHONE,
  cell: L_PHONE,
  cellphone: L_PHONE,
  fax: L_PHONE,
  ph: L_PHONE,
  sms: L_PHONE,
  mrn: L_MRN,
  mrns: L_MRN,
  medrec: L_MRN,
  chart: L_MRN,
  emr: L_MRN,
  ehr: L_MRN,
  patient: L_MRN | L_PERSON | L_NAME,
  patients: L_MRN,
  pt: L_MRN | L_PERSON | L_NAME,
  pid: L_MRN,
  patientid: L_MRN | L_PERSON,
  member: L_PLAN | L_PERSON | L_NAME,
  members: L_PLAN,
  memberid: L_PLAN | L_PERSON,
  mbr: L_PLAN | L_PERSON,
  subscriber: L_PLAN | L_PERSON | L_NAME,
  beneficiary: L_PLAN | L_PERSON | L_NAME,
  bene: L_PLAN | L_PERSON,
  policy: L_PLAN,
  policyno: L_PLAN,
  hicn: L_PLAN,
  medicaid: L_PLAN,
  insurance: L_PLAN,
  insured: L_PLAN | L_PERSON,
  healthplan: L_PLAN,
  acct: L_ACCT,
  acctno: L_ACCT,
  account: L_ACCT | L_AWS,
  accountno: L_ACCT,
  accounts: L_ACCT,
  accountnumber: L_ACCT,
  guarantor: L_ACCT | L_PERSON | L_NAME,
  lic: L_LIC,
  license: L_LIC,
  licence: L_LIC,
  licenses: L_LIC,
  dl: L_LIC,
  cert: L_LIC,
  certificate: L_LIC,
  permit: L_LIC,
  device: L_DEVICE,
  deviceid: L_DEVICE,
  serial: L_DEVICE,
  serialno: L_DEVICE,
  sn: L_DEVICE,
  udi: L_DEVICE,
  imei: L_DEVICE,
  implant: L_DEVICE,
  npi: L_NPI,
  npis: L_NPI,
  physician: L_NPI | L_NAME,
  clinician: L_NPI | L_NAME,
  practitioner: L_NPI | L_NAME,
  referring: L_NPI,
  attending: L_NPI,
  rendering: L_NPI,
  // Record numbers Safe Harbor counts with MRNs: `MR#`, encounter and accession numbers.
  rec: L_MRN,
  enc: L_MRN,
  csn: L_MRN,
  fin: L_MRN,
  accession: L_MRN,
  accn: L_MRN,
  acc: L_MRN,
  // Professional licences: `RN-1234567`, `LPN#123456`.
  rn: L_LIC,
  lpn: L_LIC,
  lvn: L_LIC,
  plate: L_PLATE,
  plates: L_PLATE,
  licenseplate: L_PLATE,
  age: L_AGE,
  aged: L_AGE,
  yo: L_AGE,
  yob: L_BIRTH_YEAR,
  birthyear: L_BIRTH_YEAR,
  city: L_CITY,
  town: L_CITY,
  hometown: L_CITY,
  lat: L_GEO,
  latitude: L_GEO,
  lon: L_GEO,
  lng: L_GEO,
  longitude: L_GEO,
  latlng: L_GEO,
  latlon: L_GEO,
  geo: L_GEO,
  location: L_GEO,
  coords: L_GEO,
  gps: L_GEO,
  uid: L_UID,
  studyinstanceuid: L_UID,
  seriesinstanceuid: L_UID,
  sopinstanceuid: L_UID,
  prescriber: L_NPI | L_NAME,
  provider: L_NPI,
  dea: L_DEA,
  mbi: L_MBI,
  medicare: L_MBI | L_PLAN,
  vin: L_VIN,
  vehicle: L_VIN,
  dob: L_DATE,
  birth: L_DATE,
  birthdate: L_DATE,
  birthday: L_DATE,
  bday: L_DATE,
  born: L_DATE,
  dod: L_DATE,
  death: L_DATE,
  died: L_DATE,
  deceased: L_DATE | L_PERSON,
  admit: L_DATE,
  admitted: L_DATE,
  admission: L_DATE,
  discharge: L_DATE,
  discharged: L_DATE,
  dos: L_DATE,
  visit: L_DATE,
  encounter: L_DATE | L_MRN | L_PERSON,
  person: L_PERSON | L_NAME,
  name: L_NAME | L_TITLE,
  names: L_NAME,
  fullname: L_NAME | L_TITLE,
  firstname: L_NAME | L_TITLE,
  lastname: L_NAME | L_TITLE,
  surname: L_NAME | L_TITLE,
  given: L_NAME,
  // `Mr. Okafor` is a title; `MR#4471902` a medical record number.
  mr: L_NAME | L_TITLE | L_MRN,
  mrs: L_NAME | L_TITLE,
  // `ms` is also milliseconds and Microsoft: a title only before a listed name.
  ms: L_NAME,
  dr: L_NAME | L_TITLE,
  doctor: L_NAME | L_TITLE,
  nurse: L_NAME,
  ts: L_TIME,
  time: L_TIME,
  timestamp: L_TIME,
  epoch: L_TIME,
  created: L_TIME,
  updated: L_TIME,
  modified: L_TIME,
  expires: L_TIME,
  expiry: L_TIME,
  since: L_TIME,
  until: L_TIME,
  at: L_TIME,
  unix: L_TIME,
  v: L_VERSION,
  ver: L_VERSION,
  version: L_VERSION,
  release: L_VERSION,
  rel: L_VERSION,
  build: L_VERSION | L_TIME,
  tag: L_VERSION,
  vpc: L_INFRA,
  subnet: L_INFRA,
  cidr: L_INFRA,
  nat: L_INFRA,
  gateway: L_INFRA,
  gw: L_INFRA,
  dns: L_INFRA,
  resolver: L_INFRA,
  lb: L_INFRA,
  elb: L_INFRA,
  alb: L_INFRA,
  nlb: L_INFRA,
  proxy: L_INFRA,
  host: L_INFRA,
  server: L_INFRA,
  node: L_INFRA,
  peer: L_INFRA,
  route: L_INFRA,
  endpoint: L_INFRA,
  eip: L_INFRA,
  aws: L_AWS,
  owner: L_AWS | L_NAME,
  assignee: L_NAME,
  requester: L_NAME,
  requestor: L_NAME,
  contact: L_NAME,
  createdby: L_NAME,
  caregiver: L_NAME | L_PERSON,
  resident: L_NAME | L_PERSON,
  client: L_IP | L_NAME,
  zip: L_ZIP,
  zipcode: L_ZIP,
  postal: L_ZIP,
  postcode: L_ZIP,
  email: L_EMAIL,
  ip: L_IP,
  ipaddr: L_IP,

  source: L_IP,
  src: L_IP,
};
for (const month of ['jan', 'january', 'feb', 'february', 'mar', 'march', 'apr', 'april', 'may', 'jun', 'june', 'jul', 'july', 'aug', 'august', 'sep', 'sept', 'september', 'oct', 'october', 'nov', 'november', 'dec', 'december']) {
  TABLE[month] = (TABLE[month] ?? 0) | L_MONTH;
}

const LABELS = new Map<string, number>(Object.entries(TABLE));

/**
 * Words that sit between a label and its value and say nothing themselves:
 * `member_id_`, `date_of_birth`, `account-number`, `license_no`.
 */
const CONNECTORS = new Set(['prefix', 'id', 'ids', 'no', 'num', 'number', 'nbr', 'nr', 'of', 'date', 'dt', 'code', 'value', 'val', 'key', 'addr', 'address']);

/** Every label word and its bits; for the scan's word table (token-tags.ts). */
export function labelEntries(): Iterable<[string, number]> {
  return LABELS.entries();
}

/** Label bits of a lower-cased word (0 when it is no label). */
export function labelOf(word: string | undefined): number {
  return word === undefined ? 0 : (LABELS.get(word) ?? 0);
}

/** True for words that join a label to its value. */
export function isConnector(word: string | undefined): boolean {
  return word !== undefined && CONNECTORS.has(word);
}
