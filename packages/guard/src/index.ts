export { detectPhi } from './detect-phi.js';
export type { DetectOptions } from './detect-phi.js';
export { createGuard } from './create-guard.js';
export { PhisealError } from './errors.js';
export type { PhisealErrorCode, PhisealErrorDetail, PhisealErrorDetails } from './errors.js';
export type { Finding, Guard, GuardEvent, GuardPolicy, PhiKind, Surface } from './types.js';
