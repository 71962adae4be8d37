import { PhisealError } from '@phiseal/core';

// Finds the top-level attribute names a DynamoDB expression refers to, without a full
// grammar: expressions never contain literals (values are `:placeholders`), so a path is a
// name (bare or `#alias`) followed by `.name` / `[n]` segments, and a name followed by `(`
// is a function. Only the first segment of a path matters for actions, which are per
// top-level attribute.

function notAString(): PhisealError {
  return new PhisealError('INVALID_ARGUMENT', 'Expressions must be strings.');
}

const TOKEN = /#[A-Za-z0-9_]+|:[A-Za-z0-9_]+|[A-Za-z_][A-Za-z0-9_]*|\[\s*\d+\s*\]|\S/g;
const KEYWORDS = new Set(['and', 'or', 'not', 'between', 'in', 'set', 'remove', 'add', 'delete']);
const EXISTENCE = new Set(['attribute_exists', 'attribute_not_exists']);

/** Names an expression references: `values` (compared, updated, projected) and `existence` (only tested for presence). */
export type ReferencedNames = { readonly values: Set<string>; readonly existence: Set<string> };

/**
 * The top-level attribute names in `expression`, with `#aliases` resolved through `names`.
 * An alias without a definition is reported as itself (DynamoDB will reject the request).
 * @throws never
 * @example
 * ```ts
 * referencedNames('#n = :v AND attribute_exists(x)', { '#n': 'name' }); // values {name}, existence {x}
 * ```
 */
export function referencedNames(expression: string | undefined, names: Readonly<Record<string, string>> | undefined): ReferencedNames {
  const out: ReferencedNames = { values: new Set(), existence: new Set() };
  if (!expression) return out;
  if (typeof expression !== 'string') throw notAString();
  const tokens = expression.match(TOKEN) ?? [];
  let previous = '';
  let existenceCall = false;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] as string;
    const next = tokens[i + 1];
    const isName = token.startsWith('#') || /^[A-Za-z_]/.test(token);
    if (isName && previous !== '.') {
      if (next === '(' && !token.startsWith('#')) {
        existenceCall = EXISTENCE.has(token.toLowerCase());
      } else if (token.startsWith('#') || !KEYWORDS.has(token.toLowerCase())) {
        const name = token.startsWith('#') ? (names?.[token] ?? token) : token;
        (existenceCall && previous === '(' ? out.existence : out.values).add(name);
      }
    }
    if (token === ')') existenceCall = false;
    previous = token;
  }
  for (const name of out.values) out.existence.delete(name);
  return out;
}

/**
 * Every top-level name of a ProjectionExpression, in order.
 * @throws never
 * @example
 * ```ts
 * projectedNames('a, #b.c', { '#b': 'bee' }); // ['a', 'bee']
 * ```
 */
export function projectedNames(expression: string | undefined, names: Readonly<Record<string, string>> | undefined): string[] {
  if (!expression) return [];
  if (typeof expression !== 'string') throw notAString();
  return expression.split(',').map((path) => {
    const first = (path.trim().match(/^#?[A-Za-z0-9_]+/) ?? [''])[0];
    return first.startsWith('#') ? (names?.[first] ?? first) : first;
  });
}
