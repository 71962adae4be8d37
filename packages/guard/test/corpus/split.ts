/**
 * The fixed tuning / held-out split: a third of the corpus, chosen by a hash (FNV-1a) of the
 * value alone, is held out. The split is written into corpus.jsonl and never re-drawn, so the
 * held-out numbers measure strings nobody tuned on. Hand-written cases are all tuning cases.
 */
export function splitOf(value: string): 'tune' | 'holdout' {
  let h = 0x811c9dc5;
  for (let i = 0; i < value.length; i++) h = Math.imul(h ^ value.charCodeAt(i), 0x01000193);
  return (h >>> 0) % 3 === 0 ? 'holdout' : 'tune';
}
