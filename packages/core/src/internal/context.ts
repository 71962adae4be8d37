import { createHash } from 'node:crypto';
import type { EncryptionContext } from '../key-provider.js';
import { byteReader, byteWriter, fromUtf8, isWellFormed, strictUtf8, type ByteReader } from './bytes.js';
import { block16Latin1, keyPlan, type KeyPlan } from './context-keys.js';
import { invalidArgument, malformed } from './failures.js';

const EMPTY: EncryptionContext = Object.freeze({});

/** Validates a caller's context: a plain object of string values with non-empty keys. */
export function checkContext(context: unknown): EncryptionContext {
  if (context === undefined) return EMPTY;
  if (typeof context !== 'object' || context === null || Array.isArray(context)) {
    throw invalidArgument('context must be an object of string values');
  }
  const record = context as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    const value = record[key];
    if (key.length === 0) throw invalidArgument('context keys must be non-empty strings');
    if (typeof value !== 'string') throw invalidArgument('context values must be strings');
    // Checked here, before any KMS call or cache lookup, as well as where it is encoded.
    if (!isWellFormed(key) || !isWellFormed(value)) {
      throw invalidArgument('context keys and values must be well-formed Unicode (no lone surrogates)');
    }
  }
  return context as EncryptionContext;
}

/** Keys sorted by UTF-16 code unit order (deterministic across runtimes). */
export const sortedKeys = (context: EncryptionContext): string[] => Object.keys(context).sort();

/** Canonical binary form: u16 pair count, then u16-length-prefixed key and value per pair, sorted by key. */
export function encodeContext(context: EncryptionContext): Buffer {
  const keys = sortedKeys(context);
  const w = byteWriter();
  if (keys.length > 0xffff) throw invalidArgument('context has too many entries');
  w.u16(keys.length);
  for (const key of keys) {
    const k = strictUtf8(key, 'a context key');
    const v = strictUtf8(context[key]!, 'a context value');
    if (k.length > 0xffff || v.length > 0xffff) throw invalidArgument('a context key or value is longer than 65535 bytes');
    w.block16(k);
    w.block16(v);
  }
  return w.finish();
}

/**
 * Exactly `encodeContext(context).toString('latin1')`, built as a string: the cache key of an
 * unwrapped data key holds it, and it is built on every miss (context.property.test.ts checks
 * the two agree). The keys' order and fields come from {@link keyPlan} (remembered per key set).
 * @throws {@link PhisealError} `INVALID_ARGUMENT` as {@link encodeContext}.
 */
export const contextId = (context: EncryptionContext): string => contextIdOf(context, keyPlan(Object.keys(context)));

/** {@link contextId} with the plan of `Object.keys(context)`. */
export function contextIdOf(context: EncryptionContext, plan: KeyPlan): string {
  const { sorted, fields } = plan;
  let out = plan.count;
  for (let i = 0; i < sorted.length; i++) out += fields[i]! + block16Latin1(context[sorted[i]!]!, 'a context value');
  return out;
}

export function readContext(reader: ByteReader): Record<string, string> {
  const count = reader.u16();
  const out: Record<string, string> = {};
  let previous: string | undefined;
  for (let i = 0; i < count; i++) {
    const key = fromUtf8(reader.block16());
    const value = fromUtf8(reader.block16());
    // Strictly increasing keys: one encoding per context, so no two ciphertexts differ
    // only in how the same context was written.
    if (previous !== undefined && !(previous < key)) throw malformed();
    previous = key;
    // defineProperty, not assignment: a stored key named "__proto__" must stay data.
    Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

export const decodeContext = (bytes: Uint8Array): Record<string, string> => {
  const reader = byteReader(bytes);
  const out = readContext(reader);
  if (reader.remaining !== 0) throw malformed();
  return out;
};

/** 128-bit hex digest of the canonical context, for audit events (links, does not reveal). */
export const contextDigest = (context: EncryptionContext): string =>
  createHash('sha256').update(encodeContext(context)).digest('hex').slice(0, 32);
