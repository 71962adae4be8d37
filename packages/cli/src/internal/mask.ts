import { detectPhi, type Finding, type Surface } from '@phiseal/guard';

function maskPlain(part: string): string {
  // Short parts are separators ("/", "-"); keeping them shows the shape of the value.
  return part.length <= 2 ? part : `${part[0]}${'*'.repeat(part.length - 2)}${part[part.length - 1]}`;
}

/**
 * A value safe to print next to its findings: every finding span becomes `*`, and the
 * parts in between keep only their first and last characters, since a detector can miss
 * an identifier and a scan report must not leak it.
 *
 * @example maskValue('id 123-45-6789', [{ kind: 'ssn', start: 3, end: 14 }]) // 'i* ***********'
 */
export function maskValue(value: string, findings: readonly Finding[]): string {
  let out = '';
  let at = 0;
  for (const f of [...findings].sort((a, b) => a.start - b.start)) {
    if (f.start < at) {
      // Overlapping findings: extend the masked run.
      if (f.end > at) out += '*'.repeat(f.end - at);
      at = Math.max(at, f.end);
      continue;
    }
    out += maskPlain(value.slice(at, f.start)) + '*'.repeat(f.end - f.start);
    at = f.end;
  }
  return out + maskPlain(value.slice(at));
}

/**
 * A resource name (bucket, table, queue, object key) to print as a label: as it is when
 * nothing in it looks like PHI, masked like {@link maskValue} otherwise.
 */
export function safeLabel(value: string, where: Surface): string {
  const findings = detectPhi(value, { where });
  return findings.length === 0 ? value : maskValue(value, findings);
}
