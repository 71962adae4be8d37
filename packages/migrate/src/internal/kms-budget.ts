import { PhisealError, type Envelope } from '@phiseal/core';

/** Counts the envelope's KMS calls (GenerateDataKey + Decrypt) from now on against `max`. */
export function kmsBudget(envelope: Envelope, max: number | undefined): { exceeded(): boolean; used(): number } {
  if (max !== undefined && !(Number.isInteger(max) && max >= 0)) throw new PhisealError('INVALID_ARGUMENT', 'maxKmsCalls must be a whole number.');
  const calls = (): number => {
    const s = envelope.stats();
    return s.kmsGenerateDataKeyCalls + s.kmsDecryptCalls;
  };
  const start = calls();
  return { used: () => calls() - start, exceeded: () => max !== undefined && calls() - start >= max };
}
