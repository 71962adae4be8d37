import type { Finding, PhiKind } from '../types.js';

/** Findings of one check, in discovery order. */
export type Findings = Finding[];

/** Records one finding. Allocates only when something is found, which is the rare case. */
export function report(out: Findings, kind: PhiKind, start: number, end: number): void {
  out.push({ kind, start, end });
}

/**
 * Orders findings and drops the ones that restate another: the parts of an email address
 * (a name in its local part) are the email, and a kind found inside a wider finding of the
 * same kind is that finding. A URL keeps the findings inside it, since they say why the URL
 * is PHI. One sweep after the sort: adversarial inputs with thousands of findings stay linear.
 */
export function settle(out: Findings): Findings {
  if (out.length < 2) return out;
  out.sort((a, b) => a.start - b.start || b.end - a.end);
  const kept: Finding[] = [];
  const maxEnd = new Map<PhiKind, number>();
  let emailEnd = -1;
  let addressEnd = -1;
  for (const f of out) {
    const sameEnd = maxEnd.get(f.kind) ?? -1;
    if (f.end <= sameEnd) continue;
    if (f.kind !== 'email' && f.kind !== 'url' && f.end <= emailEnd) continue;
    if (f.kind === 'name' && f.end <= addressEnd) continue;
    maxEnd.set(f.kind, f.end);
    if (f.kind === 'email' && f.end > emailEnd) emailEnd = f.end;
    if (f.kind === 'street-address' && f.end > addressEnd) addressEnd = f.end;
    kept.push(f);
  }
  return kept;
}
