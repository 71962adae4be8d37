import { usageError } from './cli-failure.js';

/**
 * Parses repeated `--context key=value` options. The value may contain `=`; the key may not.
 * PHI checks are the envelope's (its guard refuses PHI in contexts with PHI_DETECTED).
 */
export function parseContext(pairs: readonly string[] | undefined): Record<string, string> {
  const context: Record<string, string> = {};
  for (const pair of pairs ?? []) {
    const at = pair.indexOf('=');
    if (at <= 0) throw usageError('--context takes key=value');
    const key = pair.slice(0, at);
    if (Object.hasOwn(context, key)) throw usageError('--context names a key twice');
    context[key] = pair.slice(at + 1);
  }
  return context;
}
