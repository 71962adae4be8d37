/**
 * The HIPAA Safe Harbor identifier kinds that can appear inside a string.
 *
 * @example
 * ```ts
 * import { createGuard, type PhiKind } from '@phiseal/guard';
 * const ignored: PhiKind[] = ['zip-code', 'date'];
 * const guard = createGuard({ kinds: Object.fromEntries(ignored.map((kind) => [kind, false])) });
 * ```
 */
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
 *
 * @example
 * ```ts
 * import { createGuard, type Surface } from '@phiseal/guard';
 * const where: Surface = 's3.key';
 * createGuard().check('uploads/2024/scan-0001.pdf', where);
 * ```
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

/**
 * One suspected identifier: its kind and where it is (UTF-16 offsets; no copy of the text).
 *
 * @example
 * ```ts
 * import { detectPhi, type Finding } from '@phiseal/guard';
 * const findings: Finding[] = detectPhi('patients/123-45-6789.pdf', { where: 's3.key' });
 * for (const { kind, start, end } of findings) console.log(kind, start, end); // offsets only
 * ```
 */
export type Finding = {
  readonly kind: PhiKind;
  readonly start: number;
  readonly end: number;
};

/**
 * What a guard reports to `onFinding`: the finding, the surface and the action taken. Never the value.
 *
 * @example
 * ```ts
 * import { createGuard, type GuardEvent } from '@phiseal/guard';
 * const onFinding = (event: GuardEvent): void => {
 *   console.warn(`PHI (${event.kind}) in ${event.where} at ${event.start}-${event.end}: ${event.action}`);
 * };
 * const guard = createGuard({ mode: 'warn', onFinding });
 * ```
 */
export type GuardEvent = {
  readonly kind: PhiKind;
  readonly where: Surface;
  readonly start: number;
  readonly end: number;
  readonly action: 'rejected' | 'warned';
};

/**
 * How a guard reacts to findings.
 *
 * @example
 * ```ts
 * import { createGuard, type GuardPolicy } from '@phiseal/guard';
 * const policy: GuardPolicy = {
 *   mode: 'reject',
 *   allow: ['reports/annual-2024.pdf', /^fixtures\//],
 *   deny: [/\bMRN\d{6}\b/],
 *   kinds: { 'zip-code': false },
 *   onFinding: (event) => console.warn(event.kind, event.where, event.action),
 * };
 * const guard = createGuard(policy);
 * ```
 */
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

/**
 * A configured PHI check for values bound for surfaces AWS stores in the clear.
 *
 * @example
 * ```ts
 * import { createGuard, type Guard } from '@phiseal/guard';
 * const guard: Guard = createGuard();
 * guard.inspect('patients/jane-doe.pdf', 's3.key'); // [{ kind: 'name', ... }], no throw
 * guard.check('uploads/scan-0001.pdf', 's3.key'); // throws PhisealError PHI_DETECTED on a finding
 * ```
 */
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

