// Attribute names and values of the branch key store, exactly as
// aws-encryption-sdk-specification framework/key-store/dynamodb-key-storage.md §Record Format
// and framework/branch-key-store.md §Encryption Context define them. Python, Java, .NET and the
// JavaScript SDK read and write these same names; a typo here is an interop break.

/** Partition key of the key-store table (DynamoDB String). */
export const BRANCH_KEY_ID = 'branch-key-id';
/** Sort key of the key-store table (DynamoDB String). */
export const TYPE = 'type';
/** The wrapped key (DynamoDB Binary): a KMS ciphertext. */
export const ENC = 'enc';
/** On `branch:ACTIVE` records only: `branch:version:<uuid>` of the active version. */
export const VERSION = 'version';
export const CREATE_TIME = 'create-time';
/** DynamoDB Number; always 1 in this version of the spec. */
export const HIERARCHY_VERSION = 'hierarchy-version';
export const KMS_ARN = 'kms-arn';
/** Not stored on items: the logical key-store name, added to the KMS encryption context. */
export const TABLE_NAME_CONTEXT = 'tablename';
/** Prefix of caller-supplied encryption context entries stored on every record. */
export const CUSTOM_PREFIX = 'aws-crypto-ec:';

export const ACTIVE_TYPE = 'branch:ACTIVE';
export const VERSION_PREFIX = 'branch:version:';
export const BEACON_TYPE = 'beacon:ACTIVE';

/** The ESDK encrypted-data-key provider id of the hierarchical keyring. */
export const PROVIDER_ID = 'aws-kms-hierarchy';

export const BRANCH_KEY_BYTES = 32;
