import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { PhisealError } from '@phiseal/core';

// DynamoDB AttributeValues in wire form: their type and a check of their members. The
// format's serialization is in dbesdk/attribute-serialization.ts.

/** A DynamoDB attribute type name. */
export type AttributeType = 'S' | 'N' | 'B' | 'BOOL' | 'NULL' | 'M' | 'L' | 'SS' | 'NS' | 'BS';

/** A DynamoDB item in wire form. */
export type AttributeMap = Record<string, AttributeValue>;

/**
 * The type of an AttributeValue. @throws PhisealError INVALID_ARGUMENT for an unknown member or other than exactly one member.
 * @example
 * ```ts
 * attributeType({ N: '1' }); // 'N'
 * ```
 */
export function attributeType(value: AttributeValue): AttributeType {
  // Exactly one member (issue #11, defect 2): with two, this function, the SDK's serializer
  // and unmarshall() each pick one in their own order, so a signature over one member would
  // vouch for a value the application reads from another ({"BOOL": true, "S": "viewer"}).
  let members = 0;
  for (const name in value) {
    if (Object.hasOwn(value, name) && (value as unknown as Record<string, unknown>)[name] !== undefined) members++;
  }
  if (members !== 1) throw new PhisealError('INVALID_ARGUMENT', 'An attribute value must have exactly one member (S, N, B, BOOL, NULL, M, L, SS, NS or BS).');
  if (value.S !== undefined) return 'S';
  if (value.N !== undefined) return 'N';
  if (value.B !== undefined) return 'B';
  if (value.BOOL !== undefined) return 'BOOL';
  if (value.NULL !== undefined) return 'NULL';
  if (value.M !== undefined) return 'M';
  if (value.L !== undefined) return 'L';
  if (value.SS !== undefined) return 'SS';
  if (value.NS !== undefined) return 'NS';
  if (value.BS !== undefined) return 'BS';
  throw new PhisealError('INVALID_ARGUMENT', 'An attribute value has no known DynamoDB type (S, N, B, BOOL, NULL, M, L, SS, NS, BS).');
}

const isString = (v: unknown): boolean => typeof v === 'string';
const isBytes = (v: unknown): boolean => v instanceof Uint8Array;
const MEMBER_OK: Record<AttributeType, (v: unknown) => boolean> = {
  S: isString,
  N: isString,
  B: isBytes,
  BOOL: (v) => typeof v === 'boolean',
  NULL: () => true,
  M: (v) => typeof v === 'object' && v !== null && !Array.isArray(v),
  L: (v) => Array.isArray(v),
  SS: (v) => Array.isArray(v) && v.every(isString),
  NS: (v) => Array.isArray(v) && v.every(isString),
  BS: (v) => Array.isArray(v) && v.every(isBytes),
};

function badMember(): PhisealError {
  return new PhisealError('INVALID_ARGUMENT', 'An attribute value member has the wrong type (S/N strings, B bytes, BOOL boolean, M object, L list, SS/NS string lists, BS byte lists).');
}

/**
 * The type of an AttributeValue whose member has the right JavaScript type.
 * @throws PhisealError INVALID_ARGUMENT for a non-object, an unknown member or a member of the wrong type.
 * @example
 * ```ts
 * checkedType({ SS: ['a'] }); // 'SS'
 * ```
 */
export function checkedType(value: AttributeValue): AttributeType {
  if (typeof value !== 'object' || value === null) throw badMember();
  const type = attributeType(value);
  // A member of the wrong JavaScript type would be silently mangled (a string as B becomes
  // zero bytes); refuse it before anything is serialized.
  if (!MEMBER_OK[type](value[type as keyof AttributeValue])) throw badMember();
  return type;
}

const MAX_DEPTH = 32; // DynamoDB's nesting limit.

/**
 * Checks the shape of a value without serializing it: exactly one member of the right type,
 * nested values too, at most 32 levels (for attributes stored as they are: unsigned ones,
 * keys in requests, and every attribute of an item read back).
 * @throws PhisealError INVALID_ARGUMENT.
 * @example
 * ```ts
 * checkAttributeValue({ M: { a: { S: 'x' } } });
 * ```
 */
export function checkAttributeValue(value: AttributeValue, depth = 0): void {
  if (depth > MAX_DEPTH) throw new PhisealError('INVALID_ARGUMENT', 'Attribute values nest deeper than DynamoDB allows (32 levels).');
  const type = checkedType(value);
  if (type === 'M') for (const v of Object.values(value.M as Record<string, AttributeValue>)) checkAttributeValue(v, depth + 1);
  if (type === 'L') for (const v of value.L as AttributeValue[]) checkAttributeValue(v, depth + 1);
}

/**
 * Sets an own property, safe for any attribute name (including `__proto__`).
 * @throws never
 * @example
 * ```ts
 * setAttribute(item, '__proto__', { S: 'x' });
 * ```
 */
export function setAttribute(target: AttributeMap, name: string, value: AttributeValue): void {
  // Plain assignment is much faster; only `__proto__` would change the prototype instead.
  if (name === '__proto__') Object.defineProperty(target, name, { value, enumerable: true, writable: true, configurable: true });
  else target[name] = value;
}
