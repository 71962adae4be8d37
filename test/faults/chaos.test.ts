// The short seeded chaos run of the test suite: a few hundred mixed operations across S3,
// SQS, DynamoDB and KMS with ~10% of AWS calls faulted. Fails on any uncaught exception,
// untyped error, wrong data, hang or lost acknowledged write. `pnpm chaos` runs a long one.
import { awsClientConfig } from '@phiseal/test-support';
import { expect, it } from 'vitest';
import { isSound, runChaos } from './chaos/run-chaos.js';

it('300 mixed operations with 10% of AWS calls faulted: no defect', async () => {
  const lines: string[] = [];
  const report = await runChaos({ endpoint: awsClientConfig().endpoint, seed: 1, ops: 300, log: (line) => lines.push(line) });
  expect(lines).toEqual([]);
  expect(report.defects).toEqual({ uncaught: 0, untyped: 0, wrongData: 0, hangs: 0, lostAcknowledged: 0, suspicious: 0 });
  expect(isSound(report)).toBe(true);
  expect(report.ops).toBe(300);
  // The faults really happened, and most operations still succeeded.
  expect(report.faultsInjected).toBeGreaterThan(10);
  expect(report.succeeded).toBeGreaterThan(report.ops / 2);
}, 120_000);
