import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { MessageAttribute } from '../types.js';
import { decodeFrame, encodeFrame, type FrameKind } from './body-frame.js';

type Vector = {
  description: string;
  kind: FrameKind;
  attributes: Array<{ name: string; dataType: string; stringValue?: string; binaryHex?: string }>;
  bodyHex: string;
  frameHex: string;
};
// Built by an independent Python implementation of the layout (see the JSON's header).
const { vectors } = JSON.parse(readFileSync(new URL('../../test/vectors/body-frame.json', import.meta.url), 'utf8')) as { vectors: Vector[] };

function attributesOf(vector: Vector): Record<string, MessageAttribute> {
  return Object.fromEntries(
    vector.attributes.map((a) => [
      a.name,
      a.binaryHex === undefined
        ? { DataType: a.dataType, StringValue: a.stringValue ?? '' }
        : { DataType: a.dataType, BinaryValue: new Uint8Array(Buffer.from(a.binaryHex, 'hex')) },
    ]),
  );
}

describe('body frame known-answer vectors', () => {
  it('has vectors of the three kinds', () => {
    expect(vectors.filter((v) => v.kind === 'body').length).toBeGreaterThanOrEqual(5);
    expect(vectors.filter((v) => v.kind === 'sealedAttributes').length).toBeGreaterThanOrEqual(2);
    expect(vectors.filter((v) => v.kind === 'inlineSealedAttributes').length).toBeGreaterThanOrEqual(1);
  });
  for (const vector of vectors) {
    it(`encodes and decodes: ${vector.description}`, () => {
      const body = new Uint8Array(Buffer.from(vector.bodyHex, 'hex'));
      expect(Buffer.from(encodeFrame(vector.kind, attributesOf(vector), body)).toString('hex')).toBe(vector.frameHex);
      const decoded = decodeFrame(vector.kind, new Uint8Array(Buffer.from(vector.frameHex, 'hex')));
      expect(Buffer.from(decoded.body).toString('hex')).toBe(vector.bodyHex);
      expect(decoded.attributes).toEqual(attributesOf(vector));
    });
  }
});

describe('strict decoding', () => {
  const good = encodeFrame('body', { a: { DataType: 'String', StringValue: 'v' } }, new Uint8Array([1, 2]));
  const cases: Array<[string, Uint8Array]> = [
    ['empty', new Uint8Array(0)],
    ['two bytes', new Uint8Array([2, 1])],
    ['version 1 (no kind byte; issue 11 defect 3)', Uint8Array.from([1, 1, ...good.subarray(3)])],
    ['unknown version', Uint8Array.from([3, ...good.subarray(1)])],
    ['unknown kind', Uint8Array.from([2, 4, ...good.subarray(2)])],
    ['an ESDK inline block where a body is expected', Uint8Array.from([2, 3, ...good.subarray(2)])],
    ['a sealed-attribute block where a body is expected', Uint8Array.from([2, 2, ...good.subarray(2)])],
    ['more than 10 attributes', Uint8Array.from([2, 1, 11, ...good.subarray(3)])],
    ['count beyond the data', Uint8Array.from([2, 1, 2, ...good.subarray(3)])],
    ['truncated attribute', good.subarray(0, 9)],
    ['empty name', Uint8Array.from([2, 1, 1, 0, 0, 0, 1, 0x53, 0, 0, 0, 0])],
    ['invalid UTF-8 name', Uint8Array.from([2, 1, 1, 0, 1, 0xff, 0, 1, 0x53, 0, 0, 0, 0])],
    ['duplicate names', encodeDuplicate()],
  ];
  for (const [name, frame] of cases) {
    it(`refuses ${name}`, () => {
      expect(() => decodeFrame('body', frame)).toThrow(expect.objectContaining({ code: 'MALFORMED_CIPHERTEXT' }) as Error);
    });
  }

  it('refuses a frame of another kind where a sealed-attribute block is expected', () => {
    expect(() => decodeFrame('sealedAttributes', good)).toThrow(expect.objectContaining({ code: 'MALFORMED_CIPHERTEXT' }) as Error);
    expect(() => decodeFrame('inlineSealedAttributes', good)).toThrow(expect.objectContaining({ code: 'MALFORMED_CIPHERTEXT' }) as Error);
    const offloaded = Uint8Array.from([2, 2, ...good.subarray(2)]);
    expect(() => decodeFrame('inlineSealedAttributes', offloaded)).toThrow(expect.objectContaining({ code: 'MALFORMED_CIPHERTEXT' }) as Error);
  });
});

function encodeDuplicate(): Uint8Array {
  const one = encodeFrame('body', { a: { DataType: 'String', StringValue: 'v' } }, new Uint8Array(0));
  return Uint8Array.from([2, 1, 2, ...one.subarray(3), ...one.subarray(3)]);
}
