// Finds the configured table a batch names. Tables are keyed as `withEncryption` keys them
// (table name or table ARN). A name matches the configuration of that tableName; an ARN
// matches only a configuration keyed by that same ARN, because a scan by name would run in
// this client's account and region, which an ARN of another account must not silently mean.
import type { TableConfig } from '@phiseal/dynamodb';

const TABLE_ARN = /^arn:[a-z-]+:dynamodb:[a-z0-9-]+:\d{12}:table\/([A-Za-z0-9_.-]{3,255})$/;

/**
 * The configuration of the table `reference` names, if any.
 * @throws never
 * @example
 * ```ts
 * findTable({ patients: config }, 'patients'); // config
 * ```
 */
export function findTable(tables: Readonly<Record<string, TableConfig>>, reference: string): TableConfig | undefined {
  if (reference.startsWith('arn:')) {
    if (!TABLE_ARN.test(reference)) return undefined;
    return Object.hasOwn(tables, reference) ? tables[reference] : undefined;
  }
  return Object.values(tables).find((config) => config.tableName === reference);
}
