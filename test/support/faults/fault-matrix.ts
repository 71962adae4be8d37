// The fault matrix every adapter is held to: each AWS call phiseal makes fails once
// transiently, fails persistently, and succeeds with its response lost. For each: the result
// is right (checked by the call's own `check`), the error is typed with `retryable` right,
// nothing hangs (a watchdog), and no exception escapes to the process.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Service } from './classify.js';
import { describeFailure, isRetryableFailure } from './failure-kind.js';
import type { FaultProxy } from './fault-proxy.js';
import { TRANSIENT_FAULTS, type Fault } from './fault.js';
import { watchdog } from './watchdog.js';

/** How an action ended. */
export type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

/** One phiseal call and the AWS operation to fault under it. */
export type MatrixCall = {
  name: string;
  service: Service;
  operation: string;
  /**
   * Sets the call up (no faults yet) and returns the action to run under the fault and a
   * check of what is stored afterwards (no wrong data, no lost acknowledged write, nothing
   * orphaned unreported).
   */
  prepare: () => Promise<{ act: () => Promise<unknown>; check: (outcome: Outcome, scenario: Scenario) => Promise<void> }>;
};

/** The three ways every call is failed. */
export type Scenario = 'transient' | 'persistent' | 'lost';

const SCENARIOS: ReadonlyArray<[Scenario, string, (index: number) => { fault: Fault; times?: number }]> = [
  ['transient', 'fails once transiently: the SDK retry makes it succeed', (i) => ({ fault: TRANSIENT_FAULTS[i % TRANSIENT_FAULTS.length]!, times: 1 })],
  ['persistent', 'fails persistently (503): a typed, retryable error', () => ({ fault: { kind: 'status', status: 503, code: 'ServiceUnavailable' } })],
  ['lost', 'succeeds with its response lost: right data or a typed, retryable error', () => ({ fault: { kind: 'reset-after' } })],
];

/** Declares the matrix tests of `calls` against the proxy `proxy()` returns. */
export function faultMatrix(proxy: () => FaultProxy, calls: readonly MatrixCall[], watchdogMs = 20_000): void {
  const uncaught: unknown[] = [];
  const record = (error: unknown): void => {
    uncaught.push(error);
  };
  beforeAll(() => {
    process.on('uncaughtException', record);
    process.on('unhandledRejection', record);
  });
  afterAll(() => {
    process.off('uncaughtException', record);
    process.off('unhandledRejection', record);
  });
  calls.forEach((call, index) => {
    describe(`${call.name} (${call.service}:${call.operation})`, () => {
      for (const [scenario, title, rule] of SCENARIOS) {
        it(title, async () => {
          const { act, check } = await call.prepare();
          proxy().add({ service: call.service, operation: call.operation, ...rule(index) });
          let outcome: Outcome;
          try {
            outcome = { ok: true, value: await watchdog(act(), watchdogMs, call.name) };
          } catch (error) {
            if (error instanceof Error && error.message.startsWith('watchdog:')) throw error;
            outcome = { ok: false, error };
          } finally {
            proxy().clear();
          }
          if (scenario === 'transient') expect(outcome.ok, outcome.ok ? '' : describeFailure(outcome.error)).toBe(true);
          if (scenario === 'persistent') expect(outcome.ok).toBe(false);
          if (!outcome.ok) expect(isRetryableFailure(outcome.error), describeFailure(outcome.error)).toBe(true);
          await check(outcome, scenario);
          await new Promise((resolve) => setTimeout(resolve, 20));
          expect(uncaught).toEqual([]);
        });
      }
    });
  });
}
