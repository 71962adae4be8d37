import { detectPhi } from './detect-phi.js';
import { PhisealError } from './errors.js';
import type { Finding, Guard, GuardPolicy, PhiKind, Surface } from './types.js';

function matchesWhole(pattern: string | RegExp, value: string): boolean {
  if (typeof pattern === 'string') return pattern === value;
  pattern.lastIndex = 0;
  const m = pattern.exec(value);
  return m !== null && m.index === 0 && m[0].length === value.length;
}

function denyFindings(deny: readonly (string | RegExp)[], value: string): Finding[] {
  const found: Finding[] = [];
  for (const pattern of deny) {
    if (typeof pattern === 'string') {
      if (pattern.length === 0) continue;
      const at = value.indexOf(pattern);
      if (at >= 0) found.push({ kind: 'custom', start: at, end: at + pattern.length });
      continue;
    }
    pattern.lastIndex = 0;
    const m = pattern.exec(value);
    if (m !== null) found.push({ kind: 'custom', start: m.index, end: m.index + m[0].length });
  }
  return found;
}

function validatePolicy(policy: GuardPolicy): void {
  const mode = policy.mode;
  if (mode !== undefined && mode !== 'reject' && mode !== 'warn' && mode !== 'off') {
    throw new PhisealError('INVALID_CONFIGURATION', "guard mode must be 'reject', 'warn' or 'off'", { details: { field: 'mode' } });
  }
  for (const [field, list] of [['allow', policy.allow], ['deny', policy.deny]] as const) {
    if (list === undefined) continue;
    if (!Array.isArray(list) || !list.every((p) => typeof p === 'string' || p instanceof RegExp)) {
      throw new PhisealError('INVALID_CONFIGURATION', `guard ${field} must be a list of strings and regular expressions`, { details: { field } });
    }
  }
  if (policy.onFinding !== undefined && typeof policy.onFinding !== 'function') {
    throw new PhisealError('INVALID_CONFIGURATION', 'guard onFinding must be a function', { details: { field: 'onFinding' } });
  }
}

/**
 * Creates a guard: a PHI check with a policy, for values bound for surfaces AWS stores in
 * the clear (bucket and object names, metadata, tags, table and attribute names, key
 * values, queue names, message attributes, KMS aliases, encryption contexts).
 *
 * Deny patterns are the caller's own, so they are matched with the JavaScript engine:
 * keep them free of nested quantifiers. Allowed values (exact strings, or patterns that
 * match the whole value) are never flagged, not even by a deny pattern.
 *
 * @param policy mode (`reject` default, `warn`, `off`), allow and deny lists, per-kind switches, `onFinding` hook
 * @returns a {@link Guard}
 * @throws {@link PhisealError} `INVALID_CONFIGURATION` for an unknown mode or malformed lists
 * @example
 * ```ts
 * import { createGuard } from '@phiseal/guard';
 * const guard = createGuard({ allow: ['ops-jane-doe'], kinds: { 'ip-address': false } });
 * guard.check('tenant-clinic-a', 'encryptionContext');   // passes
 * guard.check('patient-jane-doe', 's3.key');             // throws PhisealError PHI_DETECTED
 * ```
 */
export function createGuard(policy: GuardPolicy = {}): Guard {
  validatePolicy(policy);
  const mode = policy.mode ?? 'reject';
  const allow = policy.allow ?? [];
  const deny = policy.deny ?? [];
  const kinds: Partial<Record<PhiKind, boolean>> = { ...(policy.kinds ?? {}) };
  const onFinding = policy.onFinding;

  const inspect = (value: string, where: Surface): Finding[] => {
    if (mode === 'off' || typeof value !== 'string' || value.length === 0) return [];
    for (const pattern of allow) if (matchesWhole(pattern, value)) return [];
    const found = detectPhi(value, { where });
    const kept = found.length === 0 ? found : found.filter((f) => kinds[f.kind] !== false);
    if (deny.length === 0 || kinds.custom === false) return kept;
    const denied = denyFindings(deny, value);
    return denied.length === 0 ? kept : [...kept, ...denied].sort((a, b) => a.start - b.start);
  };

  const check = (value: string, where: Surface): void => {
    const found = inspect(value, where);
    if (found.length === 0) return;
    const action = mode === 'reject' ? 'rejected' : 'warned';
    if (onFinding !== undefined) {
      for (const f of found) onFinding({ kind: f.kind, where, start: f.start, end: f.end, action });
    }
    if (mode === 'reject') {
      const first = found[0] as Finding;
      // The message names the kind and the surface, never the value: errors end up in logs.
      throw new PhisealError('PHI_DETECTED', `possible PHI (${first.kind}) in a value bound for ${where}`, {
        details: { kind: first.kind, where, count: found.length },
      });
    }
  };

  return { check, inspect, mode };
}
