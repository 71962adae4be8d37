// The fault-injection kit: a proxy in front of the emulator and clients that go through it.
export { startFaultProxy } from './fault-proxy.js';
export type { FaultProxy, ProxiedCall } from './fault-proxy.js';
export type { Fault } from './fault.js';
export { TRANSIENT_FAULTS } from './fault.js';
export type { FaultRule } from './rule.js';
export type { AwsCall, Service } from './classify.js';
export { proxiedClients } from './proxied-clients.js';
export type { ProxiedClients } from './proxied-clients.js';
export { fastRetry } from './fast-retry.js';
export { seededRandom } from './random.js';
export type { Random } from './random.js';
export { watchdog } from './watchdog.js';
export { faultMatrix } from './fault-matrix.js';
export type { MatrixCall, Outcome, Scenario } from './fault-matrix.js';
export { isRetryableFailure, describeFailure } from './failure-kind.js';
