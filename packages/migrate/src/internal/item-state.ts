import type { AttributeValue } from '@aws-sdk/client-dynamodb';

/** A DynamoDB item as the low-level client returns it. */
export type StoredItem = Record<string, AttributeValue>;

/**
 * What a stored item is, by the DB-ESDK format attributes it carries (aws_dbe_head,
 * aws_dbe_foot, and beacons aws_dbe_b_*): none is plaintext, head and foot is encrypted,
 * anything in between was stripped or half-written and is tampering, never plaintext.
 * (Local classification until the adapters' `itemState` is used; the same rule.)
 */
export function itemState(item: StoredItem): 'plaintext' | 'encrypted' | 'tampered' {
  const head = item['aws_dbe_head'] !== undefined;
  const foot = item['aws_dbe_foot'] !== undefined;
  if (head && foot) return 'encrypted';
  if (head || foot) return 'tampered';
  return Object.keys(item).some((name) => name.startsWith('aws_dbe_')) ? 'tampered' : 'plaintext';
}
