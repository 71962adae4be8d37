import { TRIGRAM_SIZE, trigramIndex } from '../../src/internal/lexicon-format.js';

function count(words: string[]): { counts: Float64Array; total: number } {
  const counts = new Float64Array(TRIGRAM_SIZE);
  let total = 0;
  for (const w of words) {
    const s = [0, ...[...w].map((c) => c.charCodeAt(0) - 96), 0];
    for (let i = 0; i + 2 < s.length; i++) {
      counts[trigramIndex(s[i]!, s[i + 1]!, s[i + 2]!)]! += 1;
      total++;
    }
  }
  return { counts, total };
}

/**
 * Log-odds of each letter trigram (with word-boundary marks) between personal names and
 * English/tool words, add-one smoothed, in eighths, stored as a byte offset by 128. The name
 * model reads the mean over a word as "how much this unknown word is spelled like a name".
 */
export function trainTrigrams(names: string[], words: string[]): Uint8Array {
  const n = count(names);
  const w = count(words);
  const out = new Uint8Array(TRIGRAM_SIZE);
  for (let i = 0; i < TRIGRAM_SIZE; i++) {
    const lo = Math.log((n.counts[i]! + 1) / (n.total + TRIGRAM_SIZE)) - Math.log((w.counts[i]! + 1) / (w.total + TRIGRAM_SIZE));
    out[i] = Math.max(0, Math.min(255, Math.round(lo * 8) + 128));
  }
  return out;
}
