// Item keys of the migrate tests, in a module of their own (no vitest import) so that helper
// processes the tests spawn can name the same items.
const LETTERS = 'bcdfghjklmnpqrstvwxz';

/** A key the guard never takes for an identifier: consonants only (digit runs look like record numbers). */
export function keyOf(i: number): string {
  let out = '';
  let n = i;
  do {
    out = (LETTERS[n % 20] as string) + out;
    n = Math.floor(n / 20);
  } while (n > 0);
  return `rec-${out.padStart(4, 'b')}`;
}
