import { createGuard, type Guard } from '@phiseal/guard';
import type { AuditEvent } from '../audit.js';
import { DataKeyCache } from '../data-key-cache.js';
import type { EnvelopeOptions } from '../envelope-types.js';
import type { EncryptionContext, KeyProvider } from '../key-provider.js';
import { OFF_GUARD, auditEvent } from './envelope-support.js';
import { invalidArgument, invalidConfiguration } from './failures.js';
import { providerPartition } from './provider-identity.js';
import { refusedKeys, type RefusedKeys } from './refused-keys.js';
import { resolveSettings, type EsdkSettings } from './esdk/settings.js';

/**
 * Wrapped keys tried per message unless configured otherwise. Each can cost one KMS
 * Decrypt, so an attacker who can write a message chooses how many calls it costs; the
 * AWS Encryption SDK's `maxEncryptedDataKeys` bounds the same thing.
 */
export const DEFAULT_MAX_WRAPPED_KEYS = 10;
/** The message format holds at most 255 wrapped keys (docs/format.md §2). */
export const MAX_WRAPPED_KEYS = 255;

export type Counters = {
  encryptions: number;
  decryptions: number;
  cacheHits: number;
  cacheMisses: number;
  generated: number;
  unwrapped: number;
};

/** Everything one envelope's steps share. */
export type EnvelopeState = {
  readonly keys: KeyProvider;
  /** Cache-key prefix unique to `keys` (the provider object, not its id). */
  readonly partition: string;
  readonly cache: DataKeyCache | undefined;
  readonly guard: Guard;
  readonly maxWrappedKeys: number;
  /** Which format and ESDK suite encrypt writes, which suites decrypt reads. */
  readonly settings: EsdkSettings;
  readonly refused: RefusedKeys;
  readonly counters: Counters;
  readonly destroyListeners: Set<() => void>;
  destroyed: boolean;
  readonly emit: (event: AuditEvent) => void;
  audit(operation: AuditEvent['operation'], context: EncryptionContext, keyId: string, cacheHit: boolean, error?: unknown): void;
  alive(): void;
};

function maxWrappedKeysOf(value: unknown): number {
  if (value === undefined) return DEFAULT_MAX_WRAPPED_KEYS;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1 || value > MAX_WRAPPED_KEYS) {
    throw invalidConfiguration(`maxWrappedKeys must be an integer from 1 to ${MAX_WRAPPED_KEYS}`);
  }
  return value;
}

/** Validates the options and builds the shared state of a new envelope. */
export function envelopeState(options: EnvelopeOptions): EnvelopeState {
  const keys = options?.keys;
  if (!keys || typeof keys.generate !== 'function' || typeof keys.unwrap !== 'function') {
    throw invalidConfiguration('createEnvelope needs a key provider in `keys`');
  }
  const maxWrappedKeys = maxWrappedKeysOf(options.maxWrappedKeys);
  const sink = options.audit;
  const emit = (event: AuditEvent): void => {
    if (!sink) return;
    try {
      sink(event);
    } catch {
      // An audit sink that throws must not turn into lost data or a half-done operation.
    }
  };
  const state: EnvelopeState = {
    keys,
    partition: providerPartition(keys),
    cache: options.cache === false ? undefined : (options.cache ?? new DataKeyCache()),
    guard: options.guard === false ? OFF_GUARD : (options.guard ?? createGuard()),
    maxWrappedKeys,
    settings: resolveSettings(options),
    refused: refusedKeys(),
    counters: { encryptions: 0, decryptions: 0, cacheHits: 0, cacheMisses: 0, generated: 0, unwrapped: 0 },
    destroyListeners: new Set(),
    destroyed: false,
    emit,
    audit(operation, context, keyId, cacheHit, error) {
      if (sink) emit(auditEvent(operation, context, keyId, cacheHit, error));
    },
    alive() {
      if (state.destroyed) throw invalidArgument('this envelope was destroyed');
    },
  };
  return state;
}
