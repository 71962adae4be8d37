import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { StoredItem } from './item-state.js';

/**
 * At most this many attributes are compared in one condition. DynamoDB limits an expression
 * string to 4 KB and an expression to 300 operators; `#a123=:v123 AND ` is 16 characters and
 * two operators, so 100 clauses stay well inside both.
 */
export const MAX_CONDITION_ATTRIBUTES = 100;

/** A condition on the values read, as PutItem takes it. */
export type ReadCondition = {
  ConditionExpression: string;
  ExpressionAttributeNames: Record<string, string>;
  ExpressionAttributeValues?: Record<string, AttributeValue>;
  /** false when the item had more attributes than fit: the rest is checked on the returned old item. */
  exact: boolean;
};

/**
 * "Every non-key attribute still has the value read": `#a0=:v0 AND ...`. DynamoDB has no "and
 * no other attributes" condition, so attributes added since the read are caught afterwards, by
 * comparing the old item PutItem returns (ReturnValues ALL_OLD) with the read. The same
 * comparison covers the attributes left out of a condition that would not fit.
 *
 * The key attributes are not compared: PutItem addresses the item by them, so the stored item
 * has them whenever it exists, and a comparison with an attribute that is missing is false, so
 * the first clause already fails on an item deleted since the read (an item of key attributes
 * only is compared on its partition key, which says the same). Each clause left out is one
 * less for DynamoDB to parse and evaluate; no space around `=` for the same reason.
 */
export function readCondition(item: StoredItem, keyNames: readonly string[]): ReadCondition {
  const others = Object.keys(item).filter((n) => !keyNames.includes(n)).sort();
  const names = others.length > 0 ? others : keyNames.filter((n) => item[n] !== undefined).slice(0, 1);
  const used = names.slice(0, MAX_CONDITION_ATTRIBUTES);
  const clauses: string[] = [];
  const attributeNames: Record<string, string> = {};
  const values: Record<string, AttributeValue> = {};
  used.forEach((name, i) => {
    attributeNames[`#a${i}`] = name;
    values[`:v${i}`] = item[name] as AttributeValue;
    clauses.push(`#a${i}=:v${i}`);
  });
  return {
    ConditionExpression: clauses.join(' AND '),
    ExpressionAttributeNames: attributeNames,
    ExpressionAttributeValues: values,
    exact: used.length === names.length,
  };
}

/** "The item is still the one this run wrote": its DB-ESDK header (which holds a random message id) is unchanged. */
export function ownWriteCondition(written: StoredItem): ReadCondition {
  return {
    ConditionExpression: '#h=:h',
    ExpressionAttributeNames: { '#h': 'aws_dbe_head' },
    ExpressionAttributeValues: { ':h': written['aws_dbe_head'] as AttributeValue },
    exact: true,
  };
}
