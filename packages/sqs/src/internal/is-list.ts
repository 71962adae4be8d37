/**
 * `Array.isArray` without type narrowing: narrowing a typed readonly array parameter to
 * `any[]` would switch off type checking of everything done with it afterwards.
 */
export function isList(value: unknown): boolean {
  return Array.isArray(value);
}
