/**
 * Envelope encryption for PHI with AWS KMS: a compact key-committing message format, a
 * single-flight data-key cache, a PHI guard on encryption contexts and value-free audit
 * events. Every phiseal adapter takes an {@link Envelope} from {@link createEnvelope}.
 *
 * @example
 * ```ts
 * import { createEnvelope, KmsKeyProvider } from '@phiseal/core';
 * const envelope = createEnvelope({ keys: new KmsKeyProvider({ keyId: 'alias/phi' }) });
 * const sealed = await envelope.encryptToString('MRN 448812, glucose 5.4 mmol/L');
 * ```
 *
 * @packageDocumentation
 * @module @phiseal/core
 */
export { createEnvelope } from './envelope.js';
export { KmsKeyProvider } from './kms-key-provider.js';
export { LocalKeyProvider } from './local-key-provider.js';
export { MultiKeyProvider } from './multi-key-provider.js';
export { DataKeyCache, MAX_MESSAGES_PER_KEY } from './data-key-cache.js';
export { encodeWrappedKeys, decodeWrappedKeys } from './wrapped-keys.js';
export { rewrapMessage } from './rewrap-message.js';
export { enforceSecureTransport, isLoopbackHost, secureClient, verifyClientEndpoint } from './secure-transport.js';
export { awsCallFailure, isAwsServiceError } from './aws-errors.js';
export { trackAttempts } from './attempt-log.js';
export type { AttemptLog } from './attempt-log.js';
export { auditEvent } from './internal/envelope-support.js';
export { admitPlaintext, resolvePlaintextPolicy } from './plaintext-policy.js';
export { PhisealError } from '@phiseal/guard';

export type { AuditEvent } from './audit.js';
export type { PlaintextPolicy, RecordState, SwitchOverStage } from './plaintext-policy.js';
export type { DataKeyCacheOptions, CachedMaterial, CacheUsage } from './data-key-cache.js';
export type {
  DataKey,
  DataKeyUsage,
  DecryptOptions,
  DecryptResult,
  EncryptOptions,
  EncryptStreamOptions,
  Envelope,
  EnvelopeOptions,
  EnvelopeStats,
} from './envelope-types.js';
export type { EncryptionContext, GeneratedDataKey, KeyProvider, UnwrappedDataKey, WrappedKey } from './key-provider.js';
export type { KmsKeyProviderOptions } from './kms-key-provider.js';
export type { RewrapMessageOptions } from './rewrap-message.js';
export type { LocalKeyProviderOptions } from './local-key-provider.js';
export type { AwsClientLike } from './secure-transport.js';
export type { PhisealErrorCode, PhisealErrorDetail, PhisealErrorDetails, Guard, Surface } from '@phiseal/guard';
