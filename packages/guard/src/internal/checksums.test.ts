import { describe, expect, it } from 'vitest';
import { deaValid, luhnValid, npiValid, vinValid } from './checksums.js';

describe('checksums', () => {
  it('Luhn accepts valid card numbers and rejects altered ones', () => {
    expect(luhnValid('4111111111111111', 0, 16)).toBe(true);
    expect(luhnValid('4111111111111112', 0, 16)).toBe(false);
    expect(luhnValid('378282246310005', 0, 15)).toBe(true);
  });

  it('NPI uses Luhn with the 80840 prefix and a leading 1 or 2', () => {
    expect(npiValid('1234567893', 0)).toBe(true); // CMS example
    expect(npiValid('1234567890', 0)).toBe(false);
    expect(npiValid('3234567893', 0)).toBe(false);
    // Plain Luhn over the 10 digits alone would give a different answer.
    expect(luhnValid('1234567893', 0, 10)).toBe(false);
  });

  it('DEA check digit is (d1+d3+d5) + 2*(d2+d4+d6) mod 10', () => {
    expect(deaValid('AB1234563', 0)).toBe(true);
    expect(deaValid('AB1234564', 0)).toBe(false);
    expect(deaValid('ZB1234563', 0)).toBe(false); // Z is no registrant type
  });

  it('VIN check digit (position 9) per ISO 3779 weights', () => {
    expect(vinValid('1HGCM82633A004352', 0)).toBe(true);
    expect(vinValid('1HGCM82633A004353', 0)).toBe(false);
    expect(vinValid('1M8GDM9AXKP042788', 0)).toBe(true); // check digit X
    expect(vinValid('1HGCM8I633A004352', 0)).toBe(false); // I is never used
  });
});
