import type { AttributeMap } from '../attribute-codec.js';
import { canonicalPath, compareCanonical } from './canonical-path.js';
import { LEGEND_CONTEXT, LEGEND_ENCRYPT, LEGEND_SIGN } from './header.js';
import { RESERVED_PREFIX, type CryptoAction, type DbeSchema } from './item-schema.js';

// Which attributes of an item are signed, their canonical paths and their order
// (structured-encryption/header.md "Canonical Path"; encrypt-structure.md) depend only on the
// table's schema and the item's attribute NAMES — never on values or keys — and the items of a
// table share a handful of shapes. A plan is therefore worked out once per shape and reused
// by every item with exactly the same names (compared name by name, so a lookup key that
// happens to collide never picks another shape's plan). Bounded per schema: hostile items
// with ever new names cannot grow it.

/** A signed attribute of a plan, in canonical-path order. */
export type PlannedField = { readonly name: string; readonly path: Buffer; readonly action: Exclude<CryptoAction, 'plain'> };

/** What encrypting an item of one shape needs to know before its values. */
export type WritePlan = {
  /** Signed attributes, in canonical-path order. */
  readonly fields: readonly PlannedField[];
  /** One legend byte per field (header.md "Encrypt Legend"). */
  readonly legend: Buffer;
  /** How many fields are ENCRYPT_AND_SIGN. */
  readonly encrypted: number;
  /** Indices into `fields` of the attributes bound into the encryption context. */
  readonly bound: readonly number[];
  /** A key or sign-in-context attribute the shape lacks (refused after the values are checked). */
  readonly missing: string | undefined;
};

/** What decrypting a stored item of one shape needs to know before its header. */
export type ReadPlan = { readonly fields: readonly Omit<PlannedField, 'action'>[] };

const MAX_SHAPES = 64;
const LEGEND: Record<PlannedField['action'], number> = { encrypt: LEGEND_ENCRYPT, sign: LEGEND_SIGN, 'sign-in-context': LEGEND_CONTEXT };

type Entry<P> = { readonly names: readonly string[]; readonly plan: P };

const sameNames = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((n, i) => n === b[i]);

function plans<P>(): (schema: DbeSchema, names: readonly string[], build: () => P) => P {
  // Per schema: its shapes, and the last one asked for (consecutive items of a table usually
  // share it: comparing names one by one skips joining them into a lookup key).
  const bySchema = new WeakMap<DbeSchema, { shapes: Map<string, Entry<P>>; last: Entry<P> | undefined }>();
  return (schema, names, build) => {
    let known = bySchema.get(schema);
    if (known?.last && sameNames(known.last.names, names)) return known.last.plan;
    if (!known) bySchema.set(schema, (known = { shapes: new Map<string, Entry<P>>(), last: undefined }));
    const { shapes } = known;
    const id = names.join('\u0000');
    const hit = shapes.get(id);
    if (hit && sameNames(hit.names, names)) {
      known.last = hit;
      return hit.plan;
    }
    const plan = build(); // throws for a shape the format refuses: never kept
    if (shapes.size >= MAX_SHAPES) shapes.delete(shapes.keys().next().value as string);
    const entry = { names: [...names], plan };
    shapes.set(id, entry);
    known.last = entry;
    return plan;
  };
}

const byPath = (a: { path: Buffer }, b: { path: Buffer }): number => compareCanonical(a.path, b.path);
const writePlans = plans<WritePlan>();
const readPlans = plans<ReadPlan>();

function buildWritePlan(schema: DbeSchema, names: readonly string[], refuse: (reserved: string) => Error): WritePlan {
  const fields: PlannedField[] = [];
  for (const name of names) {
    if (name.startsWith(RESERVED_PREFIX)) throw refuse(name);
    const action = schema.actionOf(name);
    if (action !== 'plain') fields.push({ name, path: canonicalPath(schema.logicalTableName, name), action });
  }
  fields.sort(byPath);
  const present = new Set(fields.map((f) => f.name));
  const required = schema.version === 1 ? [schema.partitionKey, ...(schema.sortKey === undefined ? [] : [schema.sortKey])] : schema.contextAttributes;
  // Version 1 binds the key values; version 2 every sign-in-context attribute of the item.
  const bound: number[] = [];
  fields.forEach((f, i) => {
    if (schema.version === 1 ? required.includes(f.name) : f.action === 'sign-in-context') bound.push(i);
  });
  return {
    fields,
    legend: Buffer.from(fields.map((f) => LEGEND[f.action])),
    encrypted: fields.filter((f) => f.action === 'encrypt').length,
    bound,
    missing: required.find((name) => !present.has(name)),
  };
}

/**
 * The write plan of `item`'s shape under `schema`.
 * @throws what `refuse` returns, for an attribute name with the reserved prefix.
 * @example
 * ```ts
 * const plan = writePlan(schema, item, (name) => invalid(name));
 * ```
 */
export function writePlan(schema: DbeSchema, item: AttributeMap, refuse: (reserved: string) => Error): WritePlan {
  const names = Object.keys(item);
  return writePlans(schema, names, () => buildWritePlan(schema, names, refuse));
}

/**
 * The read plan of a stored item's shape: its signed attributes (reserved and unsigned names
 * left out) in canonical-path order.
 * @throws never
 * @example
 * ```ts
 * const { fields } = readPlan(schema, stored);
 * ```
 */
export function readPlan(schema: DbeSchema, item: AttributeMap): ReadPlan {
  const names = Object.keys(item);
  return readPlans(schema, names, () => {
    const fields = names
      .filter((n) => !n.startsWith(RESERVED_PREFIX) && schema.inSignatureScope(n))
      .map((name) => ({ name, path: canonicalPath(schema.logicalTableName, name) }));
    return { fields: fields.sort(byPath) };
  });
}
