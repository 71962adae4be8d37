export { withEncryption } from './with-encryption.js';
export { encryptItem, decryptItem } from './encrypt-item.js';
export { createBeaconKey } from './beacon-key.js';
export type { TableConfig, AttributeAction, BeaconConfig } from './table-config.js';
export type { WithEncryptionOptions, DynamoDbClientLike } from './with-encryption.js';
