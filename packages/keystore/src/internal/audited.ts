import { PhisealError } from '@phiseal/core';
import type { KeyStoreAuditEvent } from '../key-store-types.js';
import type { StoreContext } from './store-context.js';

/**
 * Runs one key-store operation and emits its audit event: success with the ids (and what
 * `extra` takes from the result), or failure with the error's code or name.
 */
export async function audited<T>(
  ctx: StoreContext,
  operation: KeyStoreAuditEvent['operation'],
  ids: { branchKeyId?: string; branchKeyVersion?: string },
  run: () => Promise<T>,
  extra: (result: T) => Partial<KeyStoreAuditEvent> = () => ({}),
): Promise<T> {
  try {
    const result = await run();
    ctx.emit({ operation, ...ids, ...extra(result), outcome: 'success' });
    return result;
  } catch (error) {
    const code = PhisealError.is(error) ? error.code : error instanceof Error ? error.name : 'Unknown';
    ctx.emit({ operation, ...ids, outcome: 'failure', errorCode: code });
    throw error;
  }
}
