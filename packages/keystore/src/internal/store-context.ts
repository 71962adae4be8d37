import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { KMSClient } from '@aws-sdk/client-kms';
import type { Guard } from '@phiseal/core';
import type { KeyStoreAuditEvent } from '../key-store-types.js';

/** What every key-store operation needs: the clients, the names, the guard and the audit sink. */
export type StoreContext = {
  tableName: string;
  logicalKeyStoreName: string;
  kmsKeyArn: string;
  ddb: DynamoDBClient;
  kms: KMSClient;
  guard: Guard;
  /** Resolves once both clients' endpoints are verified (plain http only on loopback). */
  ready: Promise<void>;
  emit: (event: Omit<KeyStoreAuditEvent, 'time' | 'tableName'>) => void;
};
