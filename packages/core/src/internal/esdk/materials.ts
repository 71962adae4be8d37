// How ESDK messages use the envelope's cached data keys. One cached data key serves many
// messages: each message derives its own key with HKDF salted by its random 32-byte message
// id (framework/transitive-requirements.md "HKDF Encryption Key"), and the cache's limits
// (age, messages, bytes per data key) apply as for the compact format.
import type { KeyObject } from 'node:crypto';
import type { CachedMaterial } from '../../data-key-cache.js';
import type { EncryptionContext, WrappedKey } from '../../key-provider.js';
import { copyPairs } from '../context-text.js';
import { PUBLIC_KEY_FIELD, serializeContext } from './context.js';
import { serializeEdks } from './edks.js';
import { verificationKey } from './footer.js';
import { headerMaterial } from './header.js';
import type { SealingParts } from './message.js';
import type { Suite } from './suites.js';

/** What the envelope's sealing entries carry for ESDK messages (filled in on first use). */
export type EsdkSealingFields = {
  dataKey: Buffer;
  wrapped: readonly WrappedKey[];
  /** The stored context: the caller's, plus `aws-crypto-public-key` for signed messages. */
  esdkContext?: EncryptionContext;
  esdkMaterial?: Buffer;
  signingKey?: KeyObject;
  /** What sealMessage needs, built on first use: the entry's data key, suite and header middle never change. */
  esdkParts?: SealingParts;
};

/**
 * The header parts of a cached data key (serialized on first use, then reused). A cache entry
 * is found by provider, context (and suite, for signed suites), so its context and EDK bytes
 * are the same for every message it serves.
 */
export function sealingParts(material: EsdkSealingFields, context: EncryptionContext, suite: Suite): SealingParts {
  if (material.esdkParts?.suite === suite) return material.esdkParts;
  material.esdkMaterial ??= headerMaterial(serializeContext(material.esdkContext ?? context), serializeEdks(material.wrapped));
  const parts: SealingParts = { suite, dataKey: material.dataKey, material: material.esdkMaterial };
  if (material.signingKey) parts.signingKey = material.signingKey;
  material.esdkParts = parts;
  return parts;
}

/** A data key unwrapped for ESDK messages, with the context it was unwrapped under. */
export type EsdkOpening = CachedMaterial & {
  dataKey: Buffer;
  keyId: string;
  context: Readonly<Record<string, string>>;
  verifyKey?: KeyObject;
};

export function esdkOpening(dataKey: Uint8Array, keyId: string, context: EncryptionContext): EsdkOpening {
  const own = Buffer.from(dataKey);
  return { dataKey: own, keyId, context: Object.freeze(copyPairs(context)), secrets: [own] };
}

/** Cache key of an unwrapped data key: provider partition, suite, and the stored AAD and EDK bytes. */
export const openingKey = (partition: string, suite: Suite, material: Buffer): string =>
  `x\u0000${partition}\u0000${suite.id}\u0000${material.toString('latin1')}`;


/** The verification key of a signed message (parsed once per cached data key). */
export function verifyKeyOf(material: EsdkOpening, suite: Suite): (() => KeyObject) | undefined {
  const signing = suite.signing;
  if (!signing) return undefined;
  return () => {
    if (material.verifyKey) return material.verifyKey;
    const key = verificationKey(signing, material.context[PUBLIC_KEY_FIELD]);
    material.verifyKey = key;
    return key;
  };
}
