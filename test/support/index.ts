// Test support: AWS SDK v3 clients pointed at the emulator started by the vitest global
// set-up, and uniquely named resources so test files can run in parallel.
export { awsClientConfig, kmsClient, dynamoClient, sqsClient, s3Client } from './clients.js';
export { uniqueName, randomSuffix, createKmsKey, createTable, createQueue, createBucket } from './resources.js';
export { pattern, rejection, runPythonPeer } from './fixtures.js';
export { scratchDir } from './scratch.js';
export { esdkPythonJobs } from './esdk-python.js';
export type { EsdkPythonJobs } from './esdk-python.js';
export type { TableSpec } from './resources.js';
export {
  startFaultProxy,
  proxiedClients,
  fastRetry,
  seededRandom,
  watchdog,
  TRANSIENT_FAULTS,
  faultMatrix,
  isRetryableFailure,
  describeFailure,
} from './faults/index.js';
export type { FaultProxy, ProxiedCall, Fault, FaultRule, AwsCall, Service, ProxiedClients, Random, MatrixCall, Outcome, Scenario } from './faults/index.js';
