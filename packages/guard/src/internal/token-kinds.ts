// Token classes of a scan (scan.ts), in a module of their own so the tagging helpers the scan
// calls (token-tags.ts) and the detectors they consult can share them without an import cycle.

/** An alphabetic word (split at camelCase humps). */
export const ALPHA = 1;
/** A run of ASCII digits. */
export const DIGIT = 2;
/** A hex fragment with letters and digits mixed (`3f2b8c1e`), kept whole. */
export const HEX = 3;
