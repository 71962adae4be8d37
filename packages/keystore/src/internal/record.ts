import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { PhisealError } from '@phiseal/core';
import {
  ACTIVE_TYPE,
  BEACON_TYPE,
  BRANCH_KEY_ID,
  CREATE_TIME,
  CUSTOM_PREFIX,
  ENC,
  HIERARCHY_VERSION,
  KMS_ARN,
  TABLE_NAME_CONTEXT,
  TYPE,
  VERSION,
  VERSION_PREFIX,
} from './constants.js';
import { isUuid } from './uuid.js';

// A key-store record read from DynamoDB is hostile input: anyone with write access to the
// table could plant one. Nothing here is trusted until KMS Decrypt succeeds with the
// encryption context built from the record (branch-key-store.md §Encryption Context): KMS
// then vouches for every attribute, because each one is part of that context.

/** A validated record and the KMS encryption context that authenticates it. */
export type EncryptedRecord = {
  branchKeyId: string;
  type: string;
  /** The branch key version (UUID) for branch records; undefined for the beacon key. */
  version: string | undefined;
  kmsArn: string;
  enc: Uint8Array;
  /** Every attribute but `enc`, as strings, plus `tablename`. */
  context: Record<string, string>;
  /** The `aws-crypto-ec:` entries without their prefix. */
  custom: Record<string, string>;
};

// KMS ciphertexts for a 32-byte key are under 300 bytes; 6 KiB is KMS's own ciphertext limit.
const MAX_ENC = 6144;
const REQUIRED = [BRANCH_KEY_ID, TYPE, CREATE_TIME, HIERARCHY_VERSION, KMS_ARN, ENC];

/** The code every malformed record reports; no attribute value is ever quoted. */
export const invalidRecord = (why: string): PhisealError =>
  new PhisealError('KEYSTORE_RECORD_INVALID', `A key-store record is malformed: ${why}.`, { details: { reason: why } });

function stringOf(value: AttributeValue | undefined, name: string): string {
  if (typeof value?.S !== 'string') throw invalidRecord(`${name} is not a string`);
  return value.S;
}

/**
 * Validates an item against the record format and the requested identity, and builds its
 * authenticated encryption context.
 * @throws {@link PhisealError} `KEYSTORE_RECORD_INVALID`.
 */
export function parseRecord(
  item: Record<string, AttributeValue>,
  expected: { branchKeyId: string; type: string; logicalKeyStoreName: string },
): EncryptedRecord {
  for (const name of REQUIRED) if (!(name in item)) throw invalidRecord(`${name} is missing`);
  const branchKeyId = stringOf(item[BRANCH_KEY_ID], BRANCH_KEY_ID);
  const type = stringOf(item[TYPE], TYPE);
  if (branchKeyId !== expected.branchKeyId || type !== expected.type) throw invalidRecord('it is not the record asked for');
  const enc = item[ENC]?.B;
  if (!(enc instanceof Uint8Array) || enc.length === 0 || enc.length > MAX_ENC) throw invalidRecord('enc is not a KMS ciphertext');
  if (item[HIERARCHY_VERSION]?.N !== '1') throw invalidRecord('hierarchy-version is not 1');
  const context: Record<string, string> = { [TABLE_NAME_CONTEXT]: expected.logicalKeyStoreName };
  const custom: Record<string, string> = {};
  for (const [name, value] of Object.entries(item)) {
    if (name === ENC) continue;
    if (name === TABLE_NAME_CONTEXT) throw invalidRecord('tablename is stored on the item');
    if (name === HIERARCHY_VERSION) {
      context[name] = '1';
      continue;
    }
    const known = [BRANCH_KEY_ID, TYPE, CREATE_TIME, KMS_ARN, VERSION].includes(name);
    if (!known && !name.startsWith(CUSTOM_PREFIX)) throw invalidRecord('an attribute is neither a record field nor aws-crypto-ec:*');
    context[name] = stringOf(value, name);
    if (!known) custom[name.slice(CUSTOM_PREFIX.length)] = context[name];
  }
  return { branchKeyId, type, version: versionOf(type, context), kmsArn: context[KMS_ARN]!, enc, context, custom };
}

function versionOf(type: string, context: Record<string, string>): string | undefined {
  if (type === BEACON_TYPE) {
    if (VERSION in context) throw invalidRecord('a beacon record has a version');
    return undefined;
  }
  const versioned = type === ACTIVE_TYPE ? context[VERSION] : type;
  if (type !== ACTIVE_TYPE && VERSION in context) throw invalidRecord('a version record has a version attribute');
  if (versioned === undefined || !versioned.startsWith(VERSION_PREFIX)) throw invalidRecord('the version is not branch:version:*');
  const version = versioned.slice(VERSION_PREFIX.length);
  if (!isUuid(version)) throw invalidRecord('the version is not a UUID');
  return version;
}
