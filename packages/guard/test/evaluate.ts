// Scores detectPhi on corpus entries: shared by `pnpm eval:guard` and the bar test.
import { readFileSync } from 'node:fs';
import { detectPhi } from '../src/index.js';
import type { CorpusEntry } from './corpus/generate-corpus.js';
import { HARD_CASES } from './corpus/hard-cases.js';

export type Count = { tp: number; fp: number; fn: number; tn: number };
export type Report = {
  overall: Count;
  perKind: Map<string, Count>;
  perSurface: Map<string, Count>;
  perOrigin: Map<string, Count>;
  misses: string[];
};

/** The committed corpus plus the hand-written cases (all in the tuning part). */
export function loadCorpus(): CorpusEntry[] {
  const generated = readFileSync(new URL('./corpus/corpus.jsonl', import.meta.url), 'utf8')
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => JSON.parse(l) as CorpusEntry);
  return [...generated, ...HARD_CASES.map(([value, where, kinds]): CorpusEntry => ({ value, where, kinds, source: 'hand', split: 'tune' }))];
}

const zero = (): Count => ({ tp: 0, fp: 0, fn: 0, tn: 0 });
function bump(map: Map<string, Count>, key: string): Count {
  let c = map.get(key);
  if (c === undefined) map.set(key, (c = zero()));
  return c;
}

/** String-level and per-kind counts of one set of entries. */
export function evaluate(entries: CorpusEntry[]): Report {
  const rep: Report = { overall: zero(), perKind: new Map(), perSurface: new Map(), perOrigin: new Map(), misses: [] };
  for (const e of entries) {
    const found = new Set<string>(detectPhi(e.value, { where: e.where }).map((f) => f.kind));
    const want = new Set<string>(e.kinds);
    const field = want.size > 0 ? (found.size > 0 ? 'tp' : 'fn') : found.size > 0 ? 'fp' : 'tn';
    rep.overall[field]++;
    bump(rep.perSurface, e.where)[field]++;
    if (e.origin !== undefined) bump(rep.perOrigin, e.origin)[found.has('name') ? 'tp' : 'fn']++;
    for (const k of want) bump(rep.perKind, k)[found.has(k) ? 'tp' : 'fn']++;
    for (const k of found) if (!want.has(k)) bump(rep.perKind, k).fp++;
    const same = want.size === found.size && [...want].every((k) => found.has(k));
    if (!same) rep.misses.push(`${e.where.padEnd(22)} want [${[...want].join(',')}] got [${[...found].join(',')}]  ${JSON.stringify(e.value)}  (${e.source}${e.origin ? `:${e.origin}` : ''})`);
  }
  return rep;
}
