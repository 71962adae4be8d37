// What a chaos run acknowledged, what it may have written, and how every operation ended.
import { describeFailure, isRetryableFailure } from '../../support/faults/failure-kind.js';

/** Outcome counts of a run. A run is sound when every count in `defects` is 0. */
export type ChaosReport = {
  ops: number;
  succeeded: number;
  /** Failures by kind: `retryable:<code or name>`, `refused:<code or name>`, `unknown-outcome`. */
  failures: Record<string, number>;
  defects: { uncaught: number; untyped: number; wrongData: number; hangs: number; lostAcknowledged: number; suspicious: number };
  /** Informational: payloads and uploads left that errors reported. */
  reportedLeftovers: number;
  /** Informational: copies of a message whose shared payload an earlier copy's delete removed (onDropped). */
  droppedDuplicates: number;
  faultsInjected: number;
  requests: number;
};

// Codes that, after a transport fault, would mean stored data went bad or a message was poisoned.
const SUSPICIOUS = new Set(['DECRYPTION_FAILED', 'MALFORMED_CIPHERTEXT', 'PAYLOAD_MISSING', 'CONTEXT_MISMATCH', 'PLAINTEXT_REFUSED']);

/** The books of one run. */
export type Ledger = {
  objects: Map<string, Buffer>;
  maybeObjects: Map<string, Buffer>;
  items: Map<string, string>;
  maybeItems: Map<string, string>;
  /** Bodies acknowledged by send (not yet seen by a receive). */
  sent: Set<string>;
  maybeSent: Set<string>;
  everSent: Set<string>;
  /**
   * Bodies some consumer has received. A send whose first attempt reached SQS and lost its
   * answer can be received (and its shared payload deleted) before a retry acknowledges it;
   * that body was delivered, so its acknowledgement must not count it as outstanding.
   */
  received: Set<string>;
  report: ChaosReport;
  /** Records how an operation ended. */
  settle(error: unknown): void;
  wrong(what: string): void;
  /** Records an acknowledged write that is gone after the run (names the record, never a value). */
  lost(what: string): void;
};

function detailsOf(error: unknown): Record<string, unknown> {
  const details = (error as { details?: unknown } | null)?.details;
  return typeof details === 'object' && details !== null ? (details as Record<string, unknown>) : {};
}

/** True when an error says the write may have happened. */
export function outcomeUnknown(error: unknown): boolean {
  return detailsOf(error)['outcome'] === 'unknown';
}

/** A new, empty ledger. */
export function createLedger(log: (line: string) => void = () => undefined): Ledger {
  const report: ChaosReport = {
    ops: 0,
    succeeded: 0,
    failures: {},
    defects: { uncaught: 0, untyped: 0, wrongData: 0, hangs: 0, lostAcknowledged: 0, suspicious: 0 },
    reportedLeftovers: 0,
    droppedDuplicates: 0,
    faultsInjected: 0,
    requests: 0,
  };
  const count = (key: string): void => {
    report.failures[key] = (report.failures[key] ?? 0) + 1;
  };
  return {
    objects: new Map(),
    maybeObjects: new Map(),
    items: new Map(),
    maybeItems: new Map(),
    sent: new Set(),
    maybeSent: new Set(),
    everSent: new Set(),
    received: new Set(),
    report,
    settle(error) {
      report.ops++;
      if (error === undefined) {
        report.succeeded++;
        return;
      }
      if (error instanceof Error && error.message.startsWith('watchdog:')) {
        report.defects.hangs++;
        log(`hang: ${error.message}`);
        return;
      }
      const details = detailsOf(error);
      if (details['incompleteUpload'] !== undefined || details['orphanedPayload'] === true || details['payloadKey'] !== undefined) report.reportedLeftovers++;
      const code = (error as { code?: unknown }).code;
      const isPhiseal = typeof code === 'string' && (error as { retryable?: unknown }).retryable !== undefined;
      const isService = typeof (error as { $metadata?: { httpStatusCode?: unknown } }).$metadata?.httpStatusCode === 'number';
      if (!isPhiseal && !isService) {
        report.defects.untyped++;
        log(`untyped: ${describeFailure(error)}`);
        return;
      }
      if (isPhiseal && SUSPICIOUS.has(code)) {
        report.defects.suspicious++;
        log(`suspicious: ${describeFailure(error)}`);
      }
      const name = isPhiseal ? code : String((error as { name?: unknown }).name);
      if (outcomeUnknown(error)) count('unknown-outcome');
      else count(`${isRetryableFailure(error) ? 'retryable' : 'refused'}:${name}`);
    },
    wrong(what) {
      report.defects.wrongData++;
      log(`wrong data: ${what}`);
    },
    lost(what) {
      report.defects.lostAcknowledged++;
      log(`lost acknowledged write: ${what}`);
    },
  };
}
