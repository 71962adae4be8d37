import type { AttributeValue, Condition, QueryInput, ScanInput } from '@aws-sdk/client-dynamodb';
import { PhisealError } from '@phiseal/core';
import { referencedNames } from './expression-names.js';
import type { ResolvedTable } from './resolve-table.js';

// Multi-tenant beacons in middleware queries (search-config.md "Get beacon key for query";
// FilterExpr.dfy GetBeaconKeyId): with a multi key source a beacon value means something only
// under one tenant's beacon key, so a Query or Scan that compares a beacon must name exactly one
// tenant as `<keyFieldName> = :value`, as the DB-ESDK requires. The condition stays in the
// request, so DynamoDB itself returns only that tenant's items.

type ReadInput = QueryInput | ScanInput;
const COMPARISON = /(#?[A-Za-z_][A-Za-z0-9_]*)\s*=\s*(:[A-Za-z0-9_]+)|(:[A-Za-z0-9_]+)\s*=\s*(#?[A-Za-z_][A-Za-z0-9_]*)/g;

function refused(reason: string, message: string): PhisealError {
  return new PhisealError('UNSUPPORTED_OPERATION', message, { details: { reason } });
}

function tenantsIn(expression: string | undefined, input: ReadInput, key: string, out: Set<string>): void {
  if (typeof expression !== 'string') return;
  for (const m of expression.matchAll(COMPARISON)) {
    const ref = m[1] ?? m[4]!;
    const placeholder = m[2] ?? m[3]!;
    const name = ref.startsWith('#') ? input.ExpressionAttributeNames?.[ref] : ref;
    if (name !== key) continue;
    const v: AttributeValue | undefined = input.ExpressionAttributeValues?.[placeholder];
    if (v?.S === undefined) throw refused('beacon-key-field-value', `The beacon key field must be compared with a string (the tenant's branch key id).`);
    out.add(v.S);
  }
}

function legacyTenants(conditions: Record<string, Condition> | undefined, key: string, out: Set<string>): void {
  const c = conditions?.[key];
  if (c?.ComparisonOperator === 'EQ' && c.AttributeValueList?.length === 1 && c.AttributeValueList[0]?.S !== undefined) out.add(c.AttributeValueList[0].S);
}

function comparesBeacon(t: ResolvedTable, input: ReadInput): boolean {
  const keyed = new Set(t.storedBeacons.map((b) => b.attributeName));
  const q = input as QueryInput;
  const s = input as ScanInput;
  const names = [
    ...referencedNames(q.KeyConditionExpression, input.ExpressionAttributeNames).values,
    ...referencedNames(input.FilterExpression, input.ExpressionAttributeNames).values,
    ...Object.keys(q.KeyConditions ?? {}),
    ...Object.keys(q.QueryFilter ?? {}),
    ...Object.keys(s.ScanFilter ?? {}),
  ];
  return names.some((n) => keyed.has(n));
}

/**
 * Refuses a Query or Scan on a multi-tenant table that compares a beacon without naming exactly
 * one tenant in an equality on the beacon key field.
 * @throws PhisealError UNSUPPORTED_OPERATION (`details.reason`: `beacon-key-field-missing`,
 * `beacon-key-field-ambiguous`, `beacon-key-field-value`).
 * @example
 * ```ts
 * checkBeaconTenant(table, { TableName: 't', IndexName: 'by-email', KeyConditionExpression: 'aws_dbe_b_email = :b', FilterExpression: 'tenant = :t', ... });
 * ```
 */
export function checkBeaconTenant(t: ResolvedTable, input: ReadInput): void {
  const source = t.config.beacons?.keySource;
  if (source === undefined || !('multi' in source) || !comparesBeacon(t, input)) return;
  const key = source.multi.keyFieldName;
  const tenants = new Set<string>();
  const q = input as QueryInput;
  tenantsIn(q.KeyConditionExpression, input, key, tenants);
  tenantsIn(input.FilterExpression, input, key, tenants);
  legacyTenants(q.KeyConditions, key, tenants);
  legacyTenants(q.QueryFilter, key, tenants);
  legacyTenants((input as ScanInput).ScanFilter, key, tenants);
  if (tenants.size === 0) {
    throw refused('beacon-key-field-missing', `This table has multi-tenant beacons: a query that compares a beacon must also compare the beacon key field with the tenant's branch key id ("${key} = :tenant"), as the DB-ESDK requires.`);
  }
  if (tenants.size > 1) throw refused('beacon-key-field-ambiguous', 'A query that compares a beacon may name only one tenant: beacon values of two tenants are computed under two keys.');
}
