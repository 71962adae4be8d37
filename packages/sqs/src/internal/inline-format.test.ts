import { describe, expect, it } from 'vitest';
import { bodyFormatOption, inlineFormat } from './inline-format.js';

const esdkV2 = Buffer.concat([Buffer.from([2, 0x04, 0x78]), Buffer.alloc(60, 7)]).toString('base64');
const esdkV1 = Buffer.concat([Buffer.from([1, 0x80, 0x01, 0x78]), Buffer.alloc(60, 7)]).toString('base64');

describe('inlineFormat', () => {
  it('tells compact, ESDK v2 and legacy v1 bodies apart', () => {
    expect(inlineFormat('ps1.AQEB')).toBe('compact');
    expect(inlineFormat(esdkV2)).toBe('esdk');
    expect(inlineFormat(esdkV1)).toBe('esdk');
  });

  it.each([
    ['plain text that starts like base64', `Agnes has a follow-up ${'x'.repeat(60)}`],
    ['base64url (not the standard alphabet)', Buffer.concat([Buffer.from([2, 0x04, 0x78]), Buffer.alloc(60, 0xfb)]).toString('base64url')],
    ['unpadded', esdkV2.replace(/=+$/, '').slice(0, -1)],
    ['a line break inside', `${esdkV2.slice(0, 40)}\n${esdkV2.slice(40)}`],
    ['too short to be a message', 'AgR4AAAA'],
    ['base64 of other bytes', Buffer.alloc(63, 3).toString('base64')],
    ['a compact message as base64 (version 1, algorithm 1)', Buffer.concat([Buffer.from([1, 1]), Buffer.alloc(61, 7)]).toString('base64')],
    ['empty', ''],
  ])('%s: not an encrypted body', (_name, body) => {
    expect(inlineFormat(body)).toBeUndefined();
  });
});

describe('bodyFormatOption', () => {
  it("defaults to 'esdk' and refuses anything else than the two names", () => {
    expect(bodyFormatOption(undefined)).toBe('esdk');
    expect(bodyFormatOption('compact')).toBe('compact');
    for (const bad of ['ESDK', 'ps1', 1, null]) expect(() => bodyFormatOption(bad)).toThrow(expect.objectContaining({ code: 'INVALID_CONFIGURATION' }) as Error);
  });
});
