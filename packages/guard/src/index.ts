/**
 * PHI detectors and the guard policy: `detectPhi` finds identifiers in a string bound for a
 * surface AWS stores in the clear, `createGuard` refuses them (`PHI_DETECTED`), and
 * `PhisealError` is the one error class of every phiseal package.
 *
 * @example
 * ```ts
 * import { createGuard } from '@phiseal/guard';
 * createGuard().check('uploads/invoice-2024.pdf', 's3.key'); // passes; a name or SSN would throw
 * ```
 *
 * @packageDocumentation
 * @module @phiseal/guard
 */
export { detectPhi } from './detect-phi.js';
export type { DetectOptions } from './detect-phi.js';
export { createGuard } from './create-guard.js';
export { PhisealError } from './errors.js';
export type { PhisealErrorCode, PhisealErrorDetail, PhisealErrorDetails } from './errors.js';
export type { Finding, Guard, GuardEvent, GuardPolicy, PhiKind, Surface } from './types.js';
