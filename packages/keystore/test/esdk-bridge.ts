import {
  EncryptedDataKey,
  KeyringNode,
  KeyringTraceFlag,
  type NodeDecryptionMaterial,
  type NodeEncryptionMaterial,
} from '@aws-crypto/client-node';
import type { KeyProvider } from '@phiseal/core';

// Test-only bridge: phiseal's key provider as a JavaScript Encryption SDK keyring, so that
// the provider's wrapped data keys ride in real ESDK messages (framing by the AWS SDK, data
// keys by phiseal) and can be checked against the Python SDK's hierarchical keyring before
// phiseal's own ESDK message format exists. The keyring passes the message's full encryption
// context (including aws-crypto-public-key for signing suites), as the AWS keyrings see it.

export class PhisealKeyringNode extends KeyringNode {
  readonly #keys: KeyProvider;

  constructor(keys: KeyProvider) {
    super();
    this.#keys = keys;
  }

  async _onEncrypt(material: NodeEncryptionMaterial): Promise<NodeEncryptionMaterial> {
    const { key, wrapped } = await this.#keys.generate(material.encryptionContext);
    const w = wrapped[0]!;
    material.setUnencryptedDataKey(new Uint8Array(key), {
      keyNamespace: w.provider,
      keyName: w.keyId,
      flags: KeyringTraceFlag.WRAPPING_KEY_GENERATED_DATA_KEY,
    });
    return material.addEncryptedDataKey(
      new EncryptedDataKey({ providerId: w.provider, providerInfo: w.keyId, encryptedDataKey: new Uint8Array(w.ciphertext) }),
      KeyringTraceFlag.WRAPPING_KEY_ENCRYPTED_DATA_KEY | KeyringTraceFlag.WRAPPING_KEY_SIGNED_ENC_CTX,
    );
  }

  async _onDecrypt(material: NodeDecryptionMaterial, edks: EncryptedDataKey[]): Promise<NodeDecryptionMaterial> {
    const wrapped = edks.map((e) => ({ provider: e.providerId, keyId: e.providerInfo, ciphertext: e.encryptedDataKey }));
    const { key, keyId } = await this.#keys.unwrap(wrapped, material.encryptionContext);
    return material.setUnencryptedDataKey(new Uint8Array(key), {
      keyNamespace: 'aws-kms-hierarchy',
      keyName: keyId,
      flags: KeyringTraceFlag.WRAPPING_KEY_DECRYPTED_DATA_KEY | KeyringTraceFlag.WRAPPING_KEY_VERIFIED_ENC_CTX,
    });
  }
}
