// The envelope's ESDK steps: encrypt to and decrypt from AWS Encryption SDK messages with
// the envelope's key provider, cache, guard, limits and audit (client-apis/encrypt.md,
// client-apis/decrypt.md). The shared plumbing is envelope-material.ts.
import { PhisealError } from '@phiseal/guard';
import type { EncryptionContext, WrappedKey } from '../../key-provider.js';
import { keyOfBytes } from '../cache-key-memo.js';
import { requireContext } from '../envelope-support.js';
import { loadSealing, sealingKey, seedOpening, unwrapInto, withMaterial, withSealing } from '../envelope-material.js';
import type { EnvelopeState } from '../envelope-state.js';
import type { SealingMaterial } from '../material.js';
import { PUBLIC_KEY_FIELD, refuseReserved } from './context.js';
import { generateSigningKey } from './footer.js';
import { decodeMaterial, type HeaderLayout } from './header.js';
import { esdkOpening, openingKey, sealingParts, verifyKeyOf, type EsdkOpening } from './materials.js';
import { layoutHeader, newMessageId, openHeader, openMessage, sealMessage, writeHeader } from './message.js';
import { deriveMessageKey } from './keys.js';
import { headerBodyLength } from './header.js';
import type { EsdkStreamOpen, EsdkStreamStart } from './stream.js';
import { TAG_LENGTH } from './suites.js';
import type { Suite } from './suites.js';

export type EsdkSealResult = { message: Buffer; keyId: string; hit: boolean };

/** Seeds the decryption side so this process reads its own messages without a key-provider call. */
function seed(state: EnvelopeState, m: SealingMaterial, stored: EncryptionContext, suite: Suite): void {
  const parts = sealingParts(m, stored, suite);
  seedOpening(state, openingKey(state.partition, suite, parts.material), esdkOpening(m.dataKey, m.keyId, stored));
}

/**
 * Sealing material for a signed suite: on a cache miss only, the key pair is made before the
 * data key. A hit reuses the cached pair with the cached data key, as the SDK's caching CMM
 * reuses its cached encryption materials' signing key (framework/caching-cmm.md); making a
 * pair per call and dropping it on a hit cost one P-384 key generation per message.
 */
function loadSigned(state: EnvelopeState, context: EncryptionContext, suite: Suite): () => Promise<SealingMaterial> {
  return () => {
    // Its public half is part of the context KMS binds the data key to
    // (framework/default-cmm.md "Get Encryption Materials").
    const pair = generateSigningKey(suite.signing!);
    const stored = { ...context, [PUBLIC_KEY_FIELD]: pair.publicKey };
    return loadSealing(state, context, stored, (m) => {
      Object.assign(m, { signingKey: pair.privateKey, esdkContext: stored });
      seed(state, m, stored, suite);
    })();
  };
}

/**
 * Encrypts one message under a (cached) data key for its context. A cache hit completes
 * synchronously (no promise per message); only a miss, which calls the key provider, is async.
 */
export function esdkEncrypt(state: EnvelopeState, plaintext: Uint8Array, context: EncryptionContext, frameLength: number): EsdkSealResult | Promise<EsdkSealResult> {
  refuseReserved(context);
  const { suite } = state.settings;
  const signed = suite.signing !== undefined;
  // A signed suite's data key is bound to its own key pair: never shared with unsigned messages.
  const cacheKey = (signed ? `s${suite.id}\u0000` : '') + sealingKey(state, context);
  const load = signed ? loadSigned(state, context, suite) : loadSealing(state, context, context, (m) => seed(state, m, context, suite));
  return withSealing(state, cacheKey, { messages: 1, bytes: plaintext.length }, context, load, (m: SealingMaterial, hit) => ({
    message: sealMessage(sealingParts(m, context, suite), plaintext, frameLength),
    keyId: m.keyId,
    hit,
  }));
}

/** The opening cache key of a header (the last one is reused while the header's AAD and EDK bytes repeat). */
const openingKeyOf = (state: EnvelopeState, header: HeaderLayout): string =>
  keyOfBytes(state, header.suite.id, header.material, () => openingKey(state.partition, header.suite, header.material));

export type EsdkOpenResult = { plaintext: Buffer; context: Record<string, string>; keyId: string; hit: boolean };

function checkPolicy(state: EnvelopeState, header: HeaderLayout): void {
  if (header.suite.committing || state.settings.allowLegacy) return;
  throw new PhisealError(
    'COMMITMENT_POLICY_VIOLATION',
    'The message uses a non-committing algorithm suite; decrypting it needs commitmentPolicy "require-encrypt-allow-decrypt".',
    { details: { algorithmSuite: header.suite.id } },
  );
}

/** Unwraps on a cache miss with the shared refusal cache and EDK cap (see unwrapInto). */
function unwrap(state: EnvelopeState, wrapped: readonly WrappedKey[], context: EncryptionContext, cacheKey: string): Promise<EsdkOpening> {
  return unwrapInto(state, wrapped, context, cacheKey, esdkOpening);
}

/** Decrypts one whole message; `expected` pairs must all be stored. `onContext` learns the stored context (for audit). */
export async function esdkDecrypt(
  state: EnvelopeState,
  bytes: Buffer,
  expected: EncryptionContext,
  onContext: (context: EncryptionContext) => void,
): Promise<EsdkOpenResult> {
  const max = state.maxWrappedKeys;
  const header = layoutHeader(bytes, max);
  checkPolicy(state, header);
  const cacheKey = openingKeyOf(state, header);
  // The expected context is checked before any key-provider call: on a miss right after
  // decoding (below), on a hit against the context the cached key was unwrapped under.
  const load = (): Promise<EsdkOpening> => {
    const decoded = decodeMaterial(header, max);
    onContext(decoded.context);
    requireContext(expected, decoded.context);
    return unwrap(state, decoded.wrapped, decoded.context, cacheKey);
  };
  return withMaterial(state, cacheKey, undefined, load, (m: EsdkOpening, hit) => {
    onContext(m.context);
    requireContext(expected, m.context);
    const plaintext = openMessage(bytes, header, m.dataKey, verifyKeyOf(m, header.suite));
    return { plaintext, context: { ...m.context }, keyId: m.keyId, hit };
  });
}

/** A new stream's header and per-message key, from a (cached) data key (client-apis/streaming.md). */
export async function esdkStartStream(state: EnvelopeState, context: EncryptionContext, frameLength: number): Promise<EsdkStreamStart & { keyId: string }> {
  refuseReserved(context);
  const { suite } = state.settings;
  const signed = suite.signing !== undefined;
  const cacheKey = (signed ? `s${suite.id}\u0000` : '') + sealingKey(state, context);
  const load = signed ? loadSigned(state, context, suite) : loadSealing(state, context, context, (m) => seed(state, m, context, suite));
  return withSealing(state, cacheKey, { messages: 1, bytes: 0 }, context, load, (m: SealingMaterial) => {
    const parts = sealingParts(m, context, suite);
    const messageId = newMessageId();
    const { key, commitment } = deriveMessageKey(suite, parts.dataKey, messageId);
    const header = Buffer.allocUnsafe(headerBodyLength(parts.material) + TAG_LENGTH);
    writeHeader(header, parts, messageId, frameLength, key, commitment);
    const start: EsdkStreamStart & { keyId: string } = { suite, messageId, key, header, keyId: m.keyId };
    if (parts.signingKey) start.signingKey = parts.signingKey;
    return start;
  });
}

/** Opens a streamed message's header: policy, expected context, data key, commit key and header tag. */
export function esdkStreamOpener(state: EnvelopeState, expected: EncryptionContext, onOpen: (context: EncryptionContext, keyId: string) => void) {
  return async (header: HeaderLayout): Promise<EsdkStreamOpen> => {
    checkPolicy(state, header);
    const cacheKey = openingKeyOf(state, header);
    const load = (): Promise<EsdkOpening> => {
      const decoded = decodeMaterial(header, state.maxWrappedKeys);
      requireContext(expected, decoded.context);
      return unwrap(state, decoded.wrapped, decoded.context, cacheKey);
    };
    return withMaterial(state, cacheKey, undefined, load, (m: EsdkOpening) => {
      requireContext(expected, m.context);
      onOpen(m.context, m.keyId);
      const opened: EsdkStreamOpen = { key: openHeader(header, m.dataKey) };
      const verifyKey = verifyKeyOf(m, header.suite);
      if (verifyKey) {
        const key = verifyKey();
        opened.verifyKey = () => key;
      }
      return opened;
    });
  };
}
