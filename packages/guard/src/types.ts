/** The HIPAA Safe Harbor identifier kinds that can appear inside a string. */
export type PhiKind =
  | 'name'
  | 'date'
  | 'phone'
  | 'email'
  | 'ssn'
  | 'itin'
  | 'mrn'
  | 'health-plan-id'
  | 'account-number'
  | 'license-number'
  | 'mbi'
  | 'npi'
  | 'dea'
  | 'payment-card'
  | 'vin'
  | 'device-id'
  | 'ip-address'
  | 'url'
  | 'street-address'
  | 'zip-code'
  /** An age over 89, or a birth year that implies one (Safe Harbor (C) aggregates them). */
  | 'age'
  /** A DICOM study, series or instance UID (PS3.15 Annex E: replaced on de-identification). */
  | 'dicom-uid'
  /** A vehicle licence plate (Safe Harbor (L)). */
  | 'license-plate'
  /** Geographic coordinates, or a patient's city (Safe Harbor (B): smaller than a state). */
  | 'geo-location'
  | 'custom';

/**
 * A place AWS stores a string in the clear. Known surfaces tune the detectors (an S3 key
 * is a path, a tag value is free text); any other string is treated as free text.
 */
export type Surface =
  | 's3.bucket'
  | 's3.key'
  | 's3.metadata'
  | 'tag'
  | 'dynamodb.table'
  | 'dynamodb.index'
  | 'dynamodb.key'
  | 'dynamodb.attributeName'
  | 'sqs.queue'
  | 'sqs.attribute'
  | 'kms.alias'
  | 'encryptionContext'
  | (string & {});

/** One suspected identifier: its kind and where it is (UTF-16 offsets; no copy of the text). */
export type Finding = {
  readonly kind: PhiKind;
  readonly start: number;
  readonly end: number;
};

/** What a guard reports to `onFinding`: the finding, the surface and the action taken. Never the value. */
export type GuardEvent = {
  readonly kind: PhiKind;
  readonly where: Surface;
  readonly start: number;
  readonly end: number;
  readonly action: 'rejected' | 'warned';
};

/** How a guard reacts to findings. */
export type GuardPolicy = {
  /** `reject` (default) throws PHI_DETECTED; `warn` reports through `onFinding` only; `off` checks nothing. */
  mode?: 'reject' | 'warn' | 'off';
  /** Values (exact strings or patterns matching the whole value) that are never flagged. */
  allow?: (string | RegExp)[];
  /** Values (exact strings, or patterns found anywhere in the value) that are always flagged as `custom`. */
  deny?: (string | RegExp)[];
  /** Per-kind switches; a kind set to `false` is not reported. */
  kinds?: Partial<Record<PhiKind, boolean>>;
  /** Called once per finding, in `reject` and `warn` mode. */
  onFinding?: (event: GuardEvent) => void;
};

/** A configured PHI check for values bound for surfaces AWS stores in the clear. */
export type Guard = {
  /**
   * Checks one value bound for `where`.
   * @throws PhisealError `PHI_DETECTED` in `reject` mode when anything is found.
   */
  check(value: string, where: Surface): void;
  /** The findings for one value under this guard's policy, without throwing. */
  inspect(value: string, where: Surface): Finding[];
  /** The policy mode in force. */
  readonly mode: 'reject' | 'warn' | 'off';
};

