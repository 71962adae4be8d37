import type { DbeSuite } from './suites.js';

// What the format needs to know about a table (dynamodb-encryption-client/
// ddb-table-encryption-config.md), resolved once from the TableConfig.

/** A DB-ESDK crypto action: ENCRYPT_AND_SIGN, SIGN_ONLY, SIGN_AND_INCLUDE_IN_ENCRYPTION_CONTEXT, DO_NOTHING. */
export type CryptoAction = 'encrypt' | 'sign' | 'sign-in-context' | 'plain';

/** The reserved attribute-name prefix (header, footer, beacons). */
export const RESERVED_PREFIX = 'aws_dbe_';
export const HEADER_ATTRIBUTE = 'aws_dbe_head';
export const FOOTER_ATTRIBUTE = 'aws_dbe_foot';
export const BEACON_PREFIX = 'aws_dbe_b_';

/** A table's format schema. */
export type DbeSchema = {
  /** The table name bound into canonical paths and the encryption context. */
  readonly logicalTableName: string;
  readonly partitionKey: string;
  readonly sortKey: string | undefined;
  /** The action of an attribute on write. */
  readonly actionOf: (name: string) => CryptoAction;
  /** False for attributes that are never signed (allowed unsigned names and prefix, reserved names). */
  readonly inSignatureScope: (name: string) => boolean;
  /** 2 when any attribute is sign-in-context (header.md "Format Version"), else 1. */
  readonly version: 1 | 2;
  /** Attributes configured as sign-in-context; every item must hold them (encrypt-item.md). */
  readonly contextAttributes: readonly string[];
  /** The suite written. */
  readonly suite: DbeSuite;
};
