import type { PhiKind, Surface } from '@phiseal/guard';

/** One string a scan checks, with where it was found. */
export type ScanTarget = {
  /** The surface it is stored on (tunes the detectors). */
  readonly where: Surface;
  /** The container, printable (names with findings are masked), e.g. `s3://bucket`. */
  readonly resource: string;
  /** What the value is within the resource, printable, e.g. `object key`, `line 12`. */
  readonly field: string;
  /** The value itself; never printed unmasked. */
  readonly value: string;
};

/** One finding as reported: the value masked. */
export type ScanFinding = {
  readonly kind: PhiKind;
  readonly where: Surface;
  readonly resource: string;
  readonly field: string;
  readonly start: number;
  readonly end: number;
  readonly masked: string;
};

/** A source of scan targets (arguments, a file, an AWS service). */
export type ScanSource = AsyncIterable<ScanTarget> | Iterable<ScanTarget>;
