// The envelope's ESDK operations: encrypt to and decrypt from AWS Encryption SDK messages
// with the envelope's key provider, cache, guard and audit (client-apis/encrypt.md,
// client-apis/decrypt.md). The envelope hands in its plumbing; this file holds the steps.
import type { CachedMaterial, CacheUsage } from '../../data-key-cache.js';
import type { EncryptionContext, KeyProvider, WrappedKey } from '../../key-provider.js';
import { PhisealError } from '@phiseal/guard';
import { requireContext } from '../envelope-support.js';
import type { SealingMaterial } from '../material.js';
import { PUBLIC_KEY_FIELD, refuseReserved } from './context.js';
import { generateSigningKey } from './footer.js';
import { decodeMaterial, type HeaderLayout } from './header.js';
import { esdkOpening, openingKey, openingKeyOf, sealingParts, verifyKeyOf, type EsdkOpening } from './materials.js';
import { layoutHeader, openMessage, sealMessage } from './message.js';
import type { EsdkSettings } from './settings.js';
import type { Suite } from './suites.js';

/** The envelope's plumbing the ESDK operations use. */
export type EsdkDeps = {
  keys: KeyProvider;
  settings: EsdkSettings;
  withMaterial<M extends CachedMaterial, T>(key: string, usage: CacheUsage | undefined, load: () => Promise<M>, consume: (m: M, hit: boolean) => T): T | Promise<T>;
  /** Generates (guarded, audited) a sealing entry for `stored` after guarding `guarded`; `prepare` runs before it is cached. */
  loadSealing(guarded: EncryptionContext, stored: EncryptionContext, prepare: (m: SealingMaterial) => void): () => Promise<SealingMaterial>;
  /** Unwraps (audited) a data key. */
  unwrap(wrapped: readonly WrappedKey[], context: EncryptionContext): Promise<{ key: Uint8Array; keyId: string }>;
  /** Caches an unwrapped key for this process's own messages (a no-op without a cache). */
  seedOpening(key: string, material: EsdkOpening): void;
  sealingKey(context: EncryptionContext): string;
};

export type EsdkSealResult = { message: Buffer; keyId: string; hit: boolean };

/** Encrypts one message; `suite` and `frameLength` as resolved by the caller. */
export function esdkEncrypt(deps: EsdkDeps, plaintext: Uint8Array, context: EncryptionContext, suite: Suite, frameLength: number): Promise<EsdkSealResult> {
  refuseReserved(context);
  const signed = suite.signing !== undefined;
  const usage = { messages: 1, bytes: plaintext.length };
  const cacheKey = (signed ? `s${suite.id}\u0000` : '') + deps.sealingKey(context);
  const load = (): Promise<SealingMaterial> => {
    if (!signed) return deps.loadSealing(context, context, (m) => seed(deps, m, context, suite))();
    // The signing key pair is made before the data key: its public half is part of the
    // context KMS binds the data key to (framework/default-cmm.md "Get Encryption Materials").
    const pair = generateSigningKey(suite.signing);
    const stored = { ...context, [PUBLIC_KEY_FIELD]: pair.publicKey };
    return deps.loadSealing(context, stored, (m) => {
      Object.assign(m, { signingKey: pair.privateKey, esdkContext: stored });
      seed(deps, m, stored, suite);
    })();
  };
  return Promise.resolve(
    deps.withMaterial(cacheKey, usage, load, (m: SealingMaterial, hit) => ({
      message: sealMessage(sealingParts(m, context, suite), plaintext, frameLength),
      keyId: m.keyId,
      hit,
    })),
  );
}

/** Seeds the decryption side so this process reads its own messages without a key-provider call. */
function seed(deps: EsdkDeps, m: SealingMaterial, stored: EncryptionContext, suite: Suite): void {
  const parts = sealingParts(m, stored, suite);
  deps.seedOpening(openingKey(deps.keys.id, suite, parts.material), esdkOpening(m.dataKey, m.keyId, stored));
}

export type EsdkOpenResult = { plaintext: Buffer; context: Record<string, string>; keyId: string; hit: boolean };

function checkPolicy(settings: EsdkSettings, header: HeaderLayout): void {
  if (header.suite.committing || settings.allowLegacy) return;
  throw new PhisealError(
    'COMMITMENT_POLICY_VIOLATION',
    'The message uses a non-committing algorithm suite; decrypting it needs commitmentPolicy "require-encrypt-allow-decrypt".',
    { details: { algorithmSuite: header.suite.id } },
  );
}

/** Decrypts one whole message; `expected` pairs must all be stored. */
export function esdkDecrypt(
  deps: EsdkDeps,
  bytes: Buffer,
  expected: EncryptionContext,
  onContext: (context: EncryptionContext) => void,
): Promise<EsdkOpenResult> {
  const max = deps.settings.maxWrappedKeys;
  const header = layoutHeader(bytes, max);
  checkPolicy(deps.settings, header);
  let decoded: ReturnType<typeof decodeMaterial> | undefined;
  if (Object.keys(expected).length > 0) {
    decoded = decodeMaterial(header, max);
    onContext(decoded.context);
    // Before any key-provider call: a wrong context never reaches KMS.
    requireContext(expected, decoded.context);
  }
  const load = async (): Promise<EsdkOpening> => {
    decoded ??= decodeMaterial(header, max);
    onContext(decoded.context);
    const unwrapped = await deps.unwrap(decoded.wrapped, decoded.context);
    const material = esdkOpening(unwrapped.key, unwrapped.keyId, decoded.context);
    unwrapped.key.fill(0);
    return material;
  };
  return Promise.resolve(
    deps.withMaterial(openingKeyOf(deps.keys.id, header), undefined, load, (m: EsdkOpening, hit) => {
      onContext(m.context);
      const plaintext = openMessage(bytes, header, m.dataKey, verifyKeyOf(m, header.suite));
      return { plaintext, context: { ...m.context }, keyId: m.keyId, hit };
    }),
  );
}
