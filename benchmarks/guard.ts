// Throughput and worst-case timing of @phiseal/guard, on one core.
//   pnpm bench guard        (builds, then runs this file; or: pnpm build && pnpm exec tsx benchmarks/guard.ts)
// Imports the built package (dist), not the sources, so it measures what users run.
import { execFileSync } from 'node:child_process';
import { writeFileSync, mkdirSync } from 'node:fs';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import type * as GuardModule from '@phiseal/guard';
// The dist path is loaded at run time so the repo typechecks before a build; the types
// come from the package's public entry.
const dist = new URL('../packages/guard/dist/index.js', import.meta.url).href;
const { createGuard, detectPhi } = (await import(dist)) as typeof GuardModule;

const WORDS = ['uploads', 'reports', 'intake', 'scans', 'labs', 'imaging', 'exports', 'archive', 'raw', 'processed', 'claims', 'tenant-17', 'clinic-a', 'v2', 'batch'];
let seed = 42;
// Math.imul keeps the LCG in 32-bit integers: a float multiply loses low bits and falls into a
// cycle of about 16,000 values, which would repeat keys (and hit detectPhi's memo of clean values).
const rand = () => ((seed = (Math.imul(seed, 1103515245) + 12345) & 0x7fffffff) / 0x7fffffff);
const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)]!;
const hex = (n: number) => Array.from({ length: n }, () => '0123456789abcdef'[Math.floor(rand() * 16)]).join('');

/** A realistic S3 key of exactly `len` characters: prefixes, a date partition, a uuid, an extension. */
function key(len: number): string {
  let s = `${pick(WORDS)}/2024/${String(1 + Math.floor(rand() * 12)).padStart(2, '0')}/${String(1 + Math.floor(rand() * 28)).padStart(2, '0')}/`;
  while (s.length < len) s += rand() < 0.5 ? `${pick(WORDS)}/` : `${hex(8)}-${hex(4)}-${hex(4)}-`;
  return s.slice(0, len - 4) + '.pdf';
}

/** Keys were generated until this many were flagged (hex fragments can spell a name): reported, then left out. */
let flaggedWhileGenerating = 0;

/**
 * Up to `count` distinct clean keys of `len` characters, so every timed check runs every detector
 * to the end. Short keys have few variants (`uploads/2024.pdf`): the tries are bounded.
 */
function cleanKeys(len: number, count: number): string[] {
  const out = new Set<string>();
  for (let tries = 0; out.size < count && tries < count * 5; tries++) {
    const k = key(len);
    if (detectPhi(k, { where: 's3.key' }).length === 0) out.add(k);
    else flaggedWhileGenerating++;
  }
  return [...out];
}

/** The best round of the last {@link rate} call in checks per CPU second of this process (which neighbours do not steal). */
let lastCpuRate = 0;

/** Checks per second: the best of five 300 ms rounds, so a busy neighbour on a shared machine skews less. */
function rate(values: string[], fn: (v: string) => unknown, ms = 300, rounds = 5): number {
  for (let i = 0; i < 2000; i++) fn(values[i % values.length]!);
  let best = 0;
  lastCpuRate = 0;
  for (let r = 0; r < rounds; r++) {
    let n = 0;
    const start = performance.now();
    const cpu0 = process.cpuUsage();
    let now = start;
    while (now - start < ms) {
      for (let i = 0; i < 1000; i++) fn(values[(n + i) % values.length]!);
      n += 1000;
      now = performance.now();
    }
    const cpu = process.cpuUsage(cpu0);
    best = Math.max(best, (n * 1000) / (now - start));
    lastCpuRate = Math.max(lastCpuRate, (n * 1e6) / Math.max(1, cpu.user + cpu.system));
  }
  return best;
}

function worst(value: string, runs = 15): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    detectPhi(value, { where: 's3.key' });
    times.push(performance.now() - t);
  }
  // The fastest run: timing noise only ever adds time, and the input decides the rest.
  times.sort((a, b) => a - b);
  return times[0]!;
}

/**
 * Load time in a fresh Node process: importing the package, then the first check (which
 * decodes the bundled lexicon). Wall and CPU time, the best of seven runs; CPU time is the
 * figure a busy shared machine distorts least.
 */
function loadTime(): { importMs: number; firstMs: number; importCpu: number; firstCpu: number } {
  const script = `const cpu = () => { const c = process.cpuUsage(); return (c.user + c.system) / 1000; };
const c0 = cpu(); const t0 = performance.now();
const m = await import(${JSON.stringify(dist)});
const c1 = cpu(); const t1 = performance.now();
m.detectPhi('patients/oluwaseun-adeyemi/scan.pdf', { where: 's3.key' });
const c2 = cpu(); const t2 = performance.now();
console.log(JSON.stringify({ importMs: t1 - t0, firstMs: t2 - t1, importCpu: c1 - c0, firstCpu: c2 - c1 }));`;
  const runs = Array.from({ length: 7 }, () => JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' })) as ReturnType<typeof loadTime>);
  const best = (k: keyof ReturnType<typeof loadTime>) => Math.min(...runs.map((r) => r[k]));
  return { importMs: best('importMs'), firstMs: best('firstMs'), importCpu: best('importCpu'), firstCpu: best('firstCpu') };
}

const guard = createGuard();
const lines: string[] = [];
const out = (s: string) => {
  console.log(s);
  lines.push(s);
};

const loadAtStart = loadavg().map((x) => x.toFixed(2)).join(' ');
out(`# @phiseal/guard benchmark\n\nNode ${process.version}, ${process.platform}/${process.arch}, one core, load average at start ${loadAtStart} (a busy machine lowers every figure). Values are clean (no PHI), so every detector runs to the end. Throughput is the best of five 300 ms rounds.\n`);
out('| input | length | checks/s (guard.check) | µs/check |');
out('| --- | ---: | ---: | ---: |');
let keys64 = 0;
let keys64Cpu = 0;
// 20,000 distinct keys per length (16-character keys have too few variants to time), walked in turn: more
// than detectPhi's memo of clean values holds (two generations of 512), so every check below is
// a full scan, as for a bucket's keys.
for (const len of [32, 64, 128, 256]) {
  const values = cleanKeys(len, 20_000);
  const r = rate(values, (v) => guard.check(v, 's3.key'));
  if (len === 64) [keys64, keys64Cpu] = [r, lastCpuRate];
  out(`| S3 key | ${len} | ${Math.round(r).toLocaleString('en-US')} | ${(1e6 / r).toFixed(2)} |`);
}
// The same 64-character key again and again: answered by the memo, not the scan (not a target).
const repeated = cleanKeys(64, 100);
const rr = rate(repeated, (v) => guard.check(v, 's3.key'));
out(`| S3 key, one of 100 repeated (memo of clean values) | 64 | ${Math.round(rr).toLocaleString('en-US')} | ${(1e6 / rr).toFixed(2)} |`);
const ctx = ['tenant', 'clinic-a', 'purpose', 'lab-results', 'aws:x-amz-cek-alg', '115', 'service', 'records'];
const rc = rate(ctx, (v) => guard.check(v, 'encryptionContext'));
out(`| encryption-context entry | 3-17 | ${Math.round(rc).toLocaleString('en-US')} | ${(1e6 / rc).toFixed(2)} |`);
// DynamoDB items each bring distinct values (issue #14): the partition key (a UUID) as a key
// value, and again base64-encoded in the DB-ESDK encryption context (type id 0x0001, then the
// UTF-8 string); 20,000 of each, so none is answered by the memo.
const uuids = Array.from({ length: 20_000 }, () => {
  const h = hex(32).split('');
  h[12] = '4';
  h[16] = '89ab'[Math.floor(rand() * 4)]!;
  const s = h.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
});
const ru = rate(uuids, (v) => guard.check(v, 'dynamodb.key'));
out(`| DynamoDB key value, distinct UUID | 36 | ${Math.round(ru).toLocaleString('en-US')} | ${(1e6 / ru).toFixed(2)} |`);
const contextForms = uuids.map((u) => Buffer.concat([Buffer.from([0, 1]), Buffer.from(u)]).toString('base64'));
const rf = rate(contextForms, (v) => guard.check(v, 'encryptionContext'));
out(`| the same UUID in a DB-ESDK encryption context (base64) | 52 | ${Math.round(rf).toLocaleString('en-US')} | ${(1e6 / rf).toFixed(2)} |`);
const phi = Array.from({ length: 1000 }, (_, i) => `patients/jane-doe-${i}/123-45-${String(1000 + i)}.pdf`);
const rp = rate(phi, (v) => detectPhi(v, { where: 's3.key' }));
out(`| S3 key with a name and an SSN (detectPhi) | ~40 | ${Math.round(rp).toLocaleString('en-US')} | ${(1e6 / rp).toFixed(2)} |`);
out(`\nGenerating the clean keys above, ${flaggedWhileGenerating.toLocaleString('en-US')} random keys were flagged (a hex fragment read as a name, say) and left out.`);

const load = loadTime();
out(`\n## Load time (fresh process, best of 7)\n`);
out('| step | wall ms | CPU ms |');
out('| --- | ---: | ---: |');
out(`| import @phiseal/guard | ${load.importMs.toFixed(1)} | ${load.importCpu.toFixed(1)} |`);
out(`| first check (decodes the lexicon) | ${load.firstMs.toFixed(1)} | ${load.firstCpu.toFixed(1)} |`);
out(`| **ready** (import + first check) | **${(load.importMs + load.firstMs).toFixed(1)}** | **${(load.importCpu + load.firstCpu).toFixed(1)}** |`);

// Issue #15: at least 200,000 64-character S3 keys per second on one core, ready in under 50 ms.
const ready = load.importMs + load.firstMs;
const targets: [string, string, boolean][] = [
  ['64-character S3 keys, checks/s', `${Math.round(keys64).toLocaleString('en-US')} (≥ 200,000; per CPU second ${Math.round(keys64Cpu).toLocaleString('en-US')})`, keys64 >= 200_000],
  ['ready (import + first check), wall ms', `${ready.toFixed(1)} (< 50)`, ready < 50],
];
out(`\n## Targets\n`);
out('| target | measured | verdict |');
out('| --- | ---: | --- |');
for (const [name, measured, ok] of targets) out(`| ${name} | ${measured} | ${ok ? 'PASS' : 'FAIL'} |`);

const SIZE = 64 * 1024;
const fill = (unit: string) => unit.repeat(Math.ceil(SIZE / unit.length)).slice(0, SIZE);
const plain = fill(key(256));
const adversarial: [string, string][] = [
  ['one letter repeated (`aaaa…`)', fill('a')],
  ['one digit repeated (`1111…`)', fill('1')],
  ['digit-dash chain (`1-1-1-…`)', fill('1-')],
  ['dotted digits (`1.1.1.…`)', fill('1.')],
  ['`@` repeated', fill('@')],
  ['`a@` repeated (many email candidates)', fill('a@')],
  ['`a.b@c` repeated', fill('a.b@c')],
  ['`%40` repeated', fill('%40')],
  ['colons (`::::…`)', fill(':')],
  ['hex and colons (`a:a:a:…`)', fill('a:')],
  ['SSNs back to back (many findings)', fill('123-45-6789 ')],
  ['name pairs back to back (many findings)', fill('jane-doe-')],
  ['run-together names (`janedoejanedoe…`)', fill('janedoe')],
  ['camelCase humps (`aBaBaB…`)', fill('aB')],
  ['alternating letter/digit (`a1a1…`)', fill('a1')],
  ['labels without values (`mrn-mrn-…`)', fill('mrn-')],
  ['`http://` repeated', fill('http://')],
  ['street-like (`1 a st 1 a st …`)', fill('1 a ')],
  ['date-like (`1/1/1/…`)', fill('1/')],
  ['UUIDs back to back', fill('3f2b8c1e-4a5d-4e6f-8a7b-9c0d1e2f3a4b-')],
  ['base64 (`+/` and mixed case)', fill('q2VjdXJp+dHlKYW5l/RG9lMTIz=')],
  ['`+1` repeated (E.164 candidates)', fill('+1')],
  ['MAC-like hex pairs (`aa:aa:aa:…`)', fill('a1:')],
  ['OID-like dotted numbers (`1.2.840.1…`)', fill('1.2.840.113619.')],
  ['ages after labels (`age-99 …`)', fill('age-99 ')],
  ['person token then dates (`patients/…/2024-06-19/…`)', fill('patients/2024-06-19/')],
  ['coordinates (`40.7128,-74.0060 …`)', fill('40.7128,-74.0060 ')],
  ['diacritics (`José Hernández …`)', fill('José Hernández ')],
  ['unknown words spelled like names (`okonkwadi-…`)', fill('okonkwadi-seungwoo-')],
];
const base = worst(plain);
out(`\n## 64 KiB inputs (fastest of 15 runs each)\n`);
out('| input | ms | × plain |');
out('| --- | ---: | ---: |');
out(`| plain S3-key text (baseline) | ${base.toFixed(2)} | 1.0 |`);
let maxRatio = 0;
for (const [label, value] of adversarial) {
  const t = worst(value);
  maxRatio = Math.max(maxRatio, t / base);
  out(`| ${label} | ${t.toFixed(2)} | ${(t / base).toFixed(1)} |`);
}
out(`\nWorst adversarial / plain: ${maxRatio.toFixed(1)}×.`);
mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
writeFileSync(new URL('./results/guard.md', import.meta.url), lines.join('\n') + '\n');
if (targets.some(([, , ok]) => !ok)) process.exitCode = 1;
