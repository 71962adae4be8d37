// `pnpm eval:guard`: precision and recall of detectPhi on the labelled corpus, per kind
// and overall. Overall counts whole strings (a guard rejects or passes a string); per kind
// counts the kinds a string carries. `--misses` lists every wrong string.
import { readFileSync } from 'node:fs';
import { detectPhi, type PhiKind } from '../src/index.js';
import type { CorpusEntry } from './corpus/generate-corpus.js';
import { HARD_CASES } from './corpus/hard-cases.js';

const generated = readFileSync(new URL('./corpus/corpus.jsonl', import.meta.url), 'utf8')
  .split('\n')
  .filter((l) => l.length > 0)
  .map((l) => JSON.parse(l) as CorpusEntry);
const corpus: CorpusEntry[] = [...generated, ...HARD_CASES.map(([value, where, kinds]) => ({ value, where, kinds, source: 'hand' }))];

type Count = { tp: number; fp: number; fn: number };
const perKind = new Map<PhiKind, Count>();
const overall: Count = { tp: 0, fp: 0, fn: 0 };
let tn = 0;
const misses: string[] = [];
const count = (k: PhiKind): Count => {
  let c = perKind.get(k);
  if (c === undefined) perKind.set(k, (c = { tp: 0, fp: 0, fn: 0 }));
  return c;
};

for (const e of corpus) {
  const found = new Set(detectPhi(e.value, { where: e.where }).map((f) => f.kind));
  const want = new Set(e.kinds);
  if (want.size > 0 && found.size > 0) overall.tp++;
  else if (want.size > 0) overall.fn++;
  else if (found.size > 0) overall.fp++;
  else tn++;
  for (const k of want) if (found.has(k)) count(k).tp++; else count(k).fn++;
  for (const k of found) if (!want.has(k)) count(k).fp++;
  const same = want.size === found.size && [...want].every((k) => found.has(k));
  if (!same) misses.push(`${e.where.padEnd(22)} want [${[...want].join(',')}] got [${[...found].join(',')}]  ${JSON.stringify(e.value)}  (${e.source})`);
}

const ratio = (a: number, b: number) => (b === 0 ? 1 : a / b);
const fmt = (x: number) => x.toFixed(3);
const positives = corpus.filter((e) => e.kinds.length > 0).length;
console.log(`corpus: ${corpus.length} strings (${generated.length} generated, ${HARD_CASES.length} hand-written), ${positives} positive (${((100 * positives) / corpus.length).toFixed(1)}%)\n`);
console.log('| kind | strings | TP | FP | FN | precision | recall |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const [k, c] of [...perKind.entries()].sort((a, b) => a[0].localeCompare(b[0]))) {
  console.log(`| ${k} | ${c.tp + c.fn} | ${c.tp} | ${c.fp} | ${c.fn} | ${fmt(ratio(c.tp, c.tp + c.fp))} | ${fmt(ratio(c.tp, c.tp + c.fn))} |`);
}
console.log(`| **overall (strings)** | ${corpus.length} | ${overall.tp} | ${overall.fp} | ${overall.fn} | ${fmt(ratio(overall.tp, overall.tp + overall.fp))} | ${fmt(ratio(overall.tp, overall.tp + overall.fn))} |`);
console.log(`\ntrue negatives: ${tn}`);
if (process.argv.includes('--misses')) console.log(`\n${misses.join('\n')}`);
const p = ratio(overall.tp, overall.tp + overall.fp);
const r = ratio(overall.tp, overall.tp + overall.fn);
const worst = Math.min(...[...perKind.values()].filter((c) => c.tp + c.fn > 0).map((c) => ratio(c.tp, c.tp + c.fn)));
const pass = p >= 0.97 && r >= 0.95 && worst >= 0.9;
console.log(`\nbar (precision >= 0.97, recall >= 0.95, every kind recall >= 0.90): ${pass ? 'met' : 'NOT met'}`);
process.exitCode = pass ? 0 : 1;
