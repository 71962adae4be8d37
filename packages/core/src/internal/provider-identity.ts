import type { KeyProvider } from '../key-provider.js';

// Cache partitions are per provider *object*, never per `provider.id`: the id names a key
// (`aws-kms:<keyId>`), not the authority behind it (KMS client and credentials,
// decryptKeyIds, local key bytes). Two providers with equal ids can have different
// rights, and one shared DataKeyCache must never let one use what only the other may
// unwrap (issue #11, defect 5). A WeakMap token cannot be chosen or forged by a provider.
const tokens = new WeakMap<KeyProvider, string>();
let next = 0;

/** A partition label unique to this provider instance for the life of the process. */
export function providerPartition(keys: KeyProvider): string {
  let token = tokens.get(keys);
  if (token === undefined) {
    token = `p${(next++).toString(36)}`;
    tokens.set(keys, token);
  }
  return token;
}
