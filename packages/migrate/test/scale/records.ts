// Record names of the scale test: consonants only, so the PHI guard never takes one for an identifier.
const LETTERS = 'bcdfghjklmnpqrstvwxz';

function letters(i: number): string {
  let out = '';
  let n = i;
  for (let k = 0; k < 4; k++) {
    out = (LETTERS[n % 20] as string) + out;
    n = Math.floor(n / 20);
  }
  return out;
}

export const itemKey = (i: number): string => `item-${letters(i)}`;
export const objectKey = (i: number): string => `obj/${letters(i)}`;
