import type { Transform } from 'node:stream';
import { createGuard } from '@phiseal/guard';
import type { AuditEvent } from './audit.js';
import { DataKeyCache, zeroize, type CachedMaterial, type CacheUsage } from './data-key-cache.js';
import type {
  DataKey,
  DecryptOptions,
  DecryptResult,
  EncryptOptions,
  EncryptStreamOptions,
  Envelope,
  EnvelopeOptions,
  EnvelopeStats,
} from './envelope-types.js';
import { toBuffer } from './internal/bytes.js';
import { canonicalContext, checkContext, encodeContext } from './internal/context.js';
import { OFF_GUARD, auditEvent, requireContext, toPlaintext, usageOf } from './internal/envelope-support.js';
import { invalidArgument, invalidConfiguration } from './internal/failures.js';
import { keyMaterial, open, seal, type KeyMaterial, type SealingMaterial } from './internal/material.js';
import { buildHeader, decodeKeyMaterial, fromCompactString, layoutMessage, toCompactString } from './internal/message-format.js';
import { DEFAULT_FRAME, MAX_FRAME, MIN_FRAME } from './internal/stream-format.js';
import { openStreamKey, startStream } from './internal/stream-keys.js';
import { decryptingTransform, encryptingTransform } from './internal/stream-transforms.js';
import type { EncryptionContext, WrappedKey } from './key-provider.js';
import { encodeWrappedKeys } from './wrapped-keys.js';

/**
 * Creates an envelope: AES-256-GCM envelope encryption with data keys from `keys`,
 * cached and shared under limits, a PHI guard on encryption contexts and an audit sink.
 *
 * @throws {@link PhisealError} `INVALID_CONFIGURATION` without a key provider.
 * @example
 * ```ts
 * import { createEnvelope, KmsKeyProvider } from '@phiseal/core';
 * const envelope = createEnvelope({ keys: new KmsKeyProvider({ keyId: process.env.KMS_KEY_ARN! }) });
 * const ciphertext = await envelope.encrypt('Jane Doe, DOB 1980-04-02', { context: { tenant: 'clinic-a' } });
 * const { plaintext } = await envelope.decrypt(ciphertext, { context: { tenant: 'clinic-a' } });
 * ```
 */
export function createEnvelope(options: EnvelopeOptions): Envelope {
  const keys = options?.keys;
  if (!keys || typeof keys.generate !== 'function' || typeof keys.unwrap !== 'function') {
    throw invalidConfiguration('createEnvelope needs a key provider in `keys`');
  }
  const cache = options.cache === false ? undefined : (options.cache ?? new DataKeyCache());
  const guard = options.guard === false ? OFF_GUARD : (options.guard ?? createGuard());
  const sink = options.audit;
  const counters = { encryptions: 0, decryptions: 0, cacheHits: 0, cacheMisses: 0, generated: 0, unwrapped: 0 };
  let destroyed = false;

  const emit = (event: AuditEvent): void => {
    if (!sink) return;
    try {
      sink(event);
    } catch {
      // An audit sink that throws must not turn into lost data or a half-done operation.
    }
  };
  const audit = (
    operation: AuditEvent['operation'],
    context: EncryptionContext,
    keyId: string,
    cacheHit: boolean,
    error?: unknown,
  ): void => {
    if (sink) emit(auditEvent(operation, context, keyId, cacheHit, error));
  };

  const alive = (): void => {
    if (destroyed) throw invalidArgument('this envelope was destroyed');
  };

  function withMaterial<M extends CachedMaterial, T>(
    key: string,
    usage: CacheUsage | undefined,
    load: () => Promise<M>,
    consume: (material: M, hit: boolean) => T,
  ): T | Promise<T> {
    const counted = (material: M, hit: boolean): T => {
      if (hit) counters.cacheHits++;
      else counters.cacheMisses++;
      return consume(material, hit);
    };
    if (cache) return cache.use(key, usage, load, counted);
    return load().then((material) => {
      try {
        return counted(material, false);
      } finally {
        zeroize(material);
      }
    });
  }

  const materialId = (wrapped: readonly WrappedKey[], context: EncryptionContext): string =>
    toBuffer(encodeWrappedKeys(wrapped)).toString('latin1') + encodeContext(context).toString('latin1');
  const sealingKey = (context: EncryptionContext): string => `e\u0000${keys.id}\u0000${canonicalContext(context)}`;
  const openingKey = (id: string): string => `d\u0000${keys.id}\u0000${id}`;

  const loadSealing = (context: EncryptionContext) => async (): Promise<SealingMaterial> => {
    // Encryption contexts are logged by CloudTrail in the clear: no PHI may go there.
    for (const key of Object.keys(context)) {
      guard.check(key, 'encryptionContext');
      guard.check(context[key]!, 'encryptionContext');
    }
    counters.generated++;
    let generated;
    try {
      generated = await keys.generate(context);
    } catch (error) {
      audit('generateDataKey', context, keys.id, false, error);
      throw error;
    }
    const wrappingKeyId = generated.wrapped[0]?.keyId ?? keys.id;
    const base = keyMaterial(generated.key, wrappingKeyId);
    generated.key.fill(0);
    const header = buildHeader(generated.wrapped, context, base.commitment);
    audit('generateDataKey', context, wrappingKeyId, false);
    if (cache && !destroyed) {
      // Seed the decryption side so this process reads its own messages without a KMS call.
      const seed = keyMaterial(base.dataKey, wrappingKeyId, context);
      const seeded = cache.use(openingKey(materialId(generated.wrapped, context)), undefined, () => Promise.resolve(seed), () => true);
      if (seeded === true) zeroize(seed);
      else void Promise.resolve(seeded).catch(() => undefined);
    }
    return { ...base, secrets: base.secrets, wrapped: generated.wrapped, header };
  };

  const loadOpening = (wrapped: readonly WrappedKey[], context: EncryptionContext) => async (): Promise<KeyMaterial> => {
    counters.unwrapped++;
    try {
      const unwrapped = await keys.unwrap(wrapped, context);
      const material = keyMaterial(unwrapped.key, unwrapped.keyId, context);
      unwrapped.key.fill(0);
      audit('unwrapDataKey', context, unwrapped.keyId, false);
      return material;
    } catch (error) {
      audit('unwrapDataKey', context, keys.id, false, error);
      throw error;
    }
  };

  async function encrypt(plaintext: Uint8Array | string, encryptOptions?: EncryptOptions): Promise<Uint8Array> {
    alive();
    const context = checkContext(encryptOptions?.context);
    const bytes = toPlaintext(plaintext);
    let cacheHit = false;
    let keyId = keys.id;
    try {
      const out = await withMaterial(
        sealingKey(context),
        { messages: 1, bytes: bytes.length },
        loadSealing(context),
        (material, hit) => {
          cacheHit = hit;
          keyId = material.keyId;
          return seal(material, bytes);
        },
      );
      counters.encryptions++;
      audit('encrypt', context, keyId, cacheHit);
      return out;
    } catch (error) {
      audit('encrypt', context, keyId, cacheHit, error);
      throw error;
    }
  }

  async function decrypt(ciphertext: Uint8Array | string, decryptOptions?: DecryptOptions): Promise<DecryptResult> {
    alive();
    const expected = checkContext(decryptOptions?.context);
    let context: EncryptionContext = {};
    let keyId = keys.id;
    let cacheHit = false;
    try {
      if (typeof ciphertext !== 'string' && !(ciphertext instanceof Uint8Array)) {
        throw invalidArgument('ciphertext must be a string or a Uint8Array');
      }
      const message = layoutMessage(typeof ciphertext === 'string' ? fromCompactString(ciphertext) : ciphertext);
      // Decoding the wrapped keys and context is needed only on a cache miss or to check an
      // expected context first (before any KMS call); a hit carries the decoded context.
      let decoded: ReturnType<typeof decodeKeyMaterial> | undefined;
      if (Object.keys(expected).length > 0) {
        decoded = decodeKeyMaterial(message);
        context = decoded.context;
        requireContext(expected, decoded.context);
      }
      const plaintext = await withMaterial(
        openingKey(message.keyMaterialId),
        undefined,
        () => {
          decoded ??= decodeKeyMaterial(message);
          return loadOpening(decoded.wrapped, decoded.context)();
        },
        (material, hit) => {
          cacheHit = hit;
          keyId = material.keyId;
          context = material.context ?? decoded?.context ?? context;
          return open(material, message);
        },
      );
      counters.decryptions++;
      audit('decrypt', context, keyId, cacheHit);
      return { plaintext, context: { ...context }, keyId };
    } catch (error) {
      audit('decrypt', context, keyId, cacheHit, error);
      throw error;
    }
  }

  return {
    encrypt,
    encryptToString: async (plaintext, encryptOptions) => toCompactString(await encrypt(plaintext, encryptOptions)),
    decrypt,
    async dataKey(contextInput, usage): Promise<DataKey> {
      alive();
      const context = checkContext(contextInput);
      return withMaterial(sealingKey(context), usageOf(usage), loadSealing(context), (material, hit) => {
        // A miss was audited by the loader; a hit is a data-key use too (issue: "KMS call or cache hit").
        if (hit) audit('generateDataKey', context, material.keyId, true);
        const key = Buffer.alloc(32);
        key.set(material.dataKey);
        return { key, wrapped: material.wrapped[0]!, wrappedKeys: material.wrapped };
      });
    },
    async unwrapDataKey(wrapped, contextInput): Promise<Uint8Array> {
      alive();
      const context = checkContext(contextInput);
      const list: readonly WrappedKey[] = Array.isArray(wrapped) ? wrapped : [wrapped as WrappedKey];
      return withMaterial(openingKey(materialId(list, context)), undefined, loadOpening(list, context), (material, hit) => {
        if (hit) audit('unwrapDataKey', context, material.keyId, true);
        const key = Buffer.alloc(32);
        key.set(material.dataKey);
        return key;
      });
    },
    encryptStream(streamOptions?: EncryptStreamOptions): Transform {
      alive();
      const context = checkContext(streamOptions?.context);
      const frameLength = streamOptions?.frameLength ?? DEFAULT_FRAME;
      if (!Number.isSafeInteger(frameLength) || frameLength < MIN_FRAME || frameLength > MAX_FRAME) {
        throw invalidArgument(`frameLength must be an integer from ${MIN_FRAME} to ${MAX_FRAME}`);
      }
      return encryptingTransform(async () => {
        let keyId = keys.id;
        try {
          const started = await withMaterial(sealingKey(context), { messages: 1, bytes: 0 }, loadSealing(context), (m) => {
            keyId = m.keyId;
            return startStream(m, context, frameLength);
          });
          counters.encryptions++;
          audit('encryptStream', context, keyId, false);
          return started;
        } catch (error) {
          audit('encryptStream', context, keyId, false, error);
          throw error;
        }
      }, frameLength);
    },
    decryptStream(streamOptions?: DecryptOptions): Transform {
      alive();
      const expected = checkContext(streamOptions?.context);
      return decryptingTransform(async (header) => {
        let keyId = keys.id;
        try {
          requireContext(expected, header.context);
          const key = await withMaterial(
            openingKey(header.keyMaterialId),
            undefined,
            loadOpening(header.wrapped, header.context),
            (m) => {
              keyId = m.keyId;
              return openStreamKey(m, header);
            },
          );
          counters.decryptions++;
          audit('decryptStream', header.context, keyId, false);
          return key;
        } catch (error) {
          audit('decryptStream', header.context, keyId, false, error);
          throw error;
        }
      });
    },
    stats(): EnvelopeStats {
      return {
        encryptions: counters.encryptions,
        decryptions: counters.decryptions,
        cacheHits: counters.cacheHits,
        cacheMisses: counters.cacheMisses,
        kmsGenerateDataKeyCalls: counters.generated,
        kmsDecryptCalls: counters.unwrapped,
        coalescedMisses: cache?.coalescedMisses ?? 0,
        evictions: cache?.evictions ?? 0,
        cachedKeys: cache?.size ?? 0,
      };
    },
    destroy(): void {
      destroyed = true;
      cache?.destroy();
    },
    guard,
    emitAudit: emit,
  };
}
