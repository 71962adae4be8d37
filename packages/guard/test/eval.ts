// `pnpm eval:guard`: precision and recall of detectPhi on the labelled corpus, for the tuning
// part and the held-out third separately, per kind, per surface and per name origin.
// Overall counts whole strings (a guard rejects or passes a string); per kind counts the kinds
// a string carries. `--misses` lists every wrong string (tuning part only unless
// `--holdout-misses`: look at held-out misses only to report them, never to tune).
import { pathToFileURL } from 'node:url';
import { evaluate, loadCorpus, type Count, type Report } from './evaluate.js';

const ratio = (a: number, b: number) => (b === 0 ? 1 : a / b);
const fmt = (x: number) => x.toFixed(3);
const p = (c: Count) => fmt(ratio(c.tp, c.tp + c.fp));
const r = (c: Count) => fmt(ratio(c.tp, c.tp + c.fn));

function table(title: string, rows: Map<string, Count>): void {
  console.log(`\n| ${title} | strings | TP | FP | FN | precision | recall |`);
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const [k, c] of [...rows.entries()].sort((a, b) => a[0].localeCompare(b[0]))) {
    console.log(`| ${k} | ${c.tp + c.fn + c.fp + c.tn} | ${c.tp} | ${c.fp} | ${c.fn} | ${p(c)} | ${r(c)} |`);
  }
}

function print(name: string, rep: Report): void {
  const o = rep.overall;
  console.log(`\n## ${name}: ${o.tp + o.fp + o.fn + o.tn} strings, ${o.tp + o.fn} positive\n`);
  console.log(`overall (strings): precision **${p(o)}**, recall **${r(o)}** (TP ${o.tp}, FP ${o.fp}, FN ${o.fn}, TN ${o.tn})`);
  table('kind', rep.perKind);
  table('surface (strings)', rep.perSurface);
  table('name origin (name strings)', rep.perOrigin);
}

const corpus = loadCorpus();
const tune = evaluate(corpus.filter((e) => e.split !== 'holdout'));
const hold = evaluate(corpus.filter((e) => e.split === 'holdout'));
console.log(`# @phiseal/guard corpus evaluation\n\ncorpus: ${corpus.length} strings (${corpus.filter((e) => e.split === 'holdout').length} held out)`);
print('tuning part', tune);
print('held-out third', hold);

// The 18 Safe Harbor identifiers (45 CFR 164.514(b)(2)(i)) and the kinds that detect them.
const SAFE_HARBOR: [string, string[]][] = [
  ['(A) names', ['name']],
  ['(B) geographic subdivisions smaller than a state', ['street-address', 'zip-code', 'geo-location']],
  ['(C) dates tied to a person; ages over 89', ['date', 'age']],
  ['(D) telephone and (E) fax numbers', ['phone']],
  ['(F) email addresses', ['email']],
  ['(G) social security numbers', ['ssn', 'itin']],
  ['(H) medical record numbers', ['mrn']],
  ['(I) health plan beneficiary numbers', ['health-plan-id', 'mbi']],
  ['(J) account numbers', ['account-number', 'payment-card']],
  ['(K) certificate and licence numbers', ['license-number']],
  ['(L) vehicle identifiers, serial numbers, plates', ['vin', 'license-plate']],
  ['(M) device identifiers and serial numbers', ['device-id']],
  ['(N) URLs', ['url']],
  ['(O) IP addresses', ['ip-address']],
  ['(R) other unique numbers and codes', ['dicom-uid', 'npi', 'dea']],
];
function safeHarbor(title: string, rep: Report): void {
  console.log(`\n| Safe Harbor identifier (${title}) | kinds | labelled | recall |`);
  console.log('| --- | --- | ---: | ---: |');
  for (const [id, kinds] of SAFE_HARBOR) {
    let tp = 0;
    let fn = 0;
    for (const k of kinds) {
      tp += rep.perKind.get(k)?.tp ?? 0;
      fn += rep.perKind.get(k)?.fn ?? 0;
    }
    console.log(`| ${id} | ${kinds.map((k) => `\`${k}\``).join(', ')} | ${tp + fn} | ${fmt(ratio(tp, tp + fn))} |`);
  }
}
safeHarbor('held-out third', hold);

const worstOrigin = Math.min(...[...hold.perOrigin.values()].map((c) => ratio(c.tp, c.tp + c.fn)));
const met = ratio(hold.overall.tp, hold.overall.tp + hold.overall.fp) >= 0.98 && ratio(hold.overall.tp, hold.overall.tp + hold.overall.fn) >= 0.97 && worstOrigin >= 0.95;
console.log(`\nheld-out bar (precision >= 0.98, recall >= 0.97, every name origin >= 0.95): ${met ? 'met' : 'NOT met'}`);
if (process.argv.includes('--misses')) console.log(`\n${tune.misses.join('\n')}`);
if (process.argv.includes('--holdout-misses')) console.log(`\n${hold.misses.join('\n')}`);
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) process.exitCode = met ? 0 : 1;
