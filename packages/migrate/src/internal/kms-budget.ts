import { PhisealError, type Envelope } from '@phiseal/core';

/** A run's KMS-call budget: what was used so far and whether `max` is reached. */
export type KmsBudget = { exceeded(): boolean; used(): number };

/**
 * Counts the envelope's KMS calls (GenerateDataKey + Decrypt) from now on, plus `elsewhere()`
 * (calls made for the same run by other processes, each with its own envelope: the CLI's
 * workers), against `max`.
 */
export function kmsBudget(envelope: Envelope, max: number | undefined, elsewhere: () => number = () => 0): KmsBudget {
  if (max !== undefined && !(Number.isInteger(max) && max >= 0)) throw new PhisealError('INVALID_ARGUMENT', 'maxKmsCalls must be a whole number.');
  const calls = (): number => {
    const s = envelope.stats();
    return s.kmsGenerateDataKeyCalls + s.kmsDecryptCalls;
  };
  const start = calls();
  const used = (): number => calls() - start + elsewhere();
  return { used, exceeded: () => max !== undefined && used() >= max };
}
