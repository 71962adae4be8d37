// hmacSha512 and hmacSecretAndPublic are HMAC-SHA-512: RFC 4231 known answers, and equal to node's createHmac for any
// key and message it accepts (including keys that fill the whole block, and zero-length ones).
import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hmacSecretAndPublic, hmacSha512 } from './hmac.js';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');

describe('hmacSha512', () => {
  it('matches RFC 4231 test cases 1 and 2', () => {
    const [case1] = hmacSha512(Buffer.alloc(20, 0x0b), [Buffer.from('Hi There')]);
    expect(case1!.toString('hex')).toBe(
      '87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cdedaa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854',
    );
    const [case2] = hmacSha512(Buffer.from('Jefe'), [Buffer.from('what do ya want for nothing?')]);
    expect(case2!).toEqual(
      hex(`164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea250554
           9758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737`),
    );
  });

  it('equals createHmac for every key up to one block and several messages up to 64 bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 128 }), fc.array(fc.uint8Array({ maxLength: 64 }), { minLength: 1, maxLength: 3 }), (key, messages) => {
        const macs = hmacSha512(key, messages);
        messages.forEach((message, i) => expect(macs[i]).toEqual(createHmac('sha512', key).update(message).digest()));
      }),
      { numRuns: 300 },
    );
  });

  it('hmacSecretAndPublic gives the same two MACs, the public one as latin1 text', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 128 }), fc.uint8Array({ maxLength: 64 }), fc.uint8Array({ maxLength: 64 }), (key, secret, published) => {
        const [mac, text] = hmacSecretAndPublic(key, secret, published);
        expect(mac).toEqual(createHmac('sha512', key).update(secret).digest());
        expect(Buffer.from(text, 'latin1')).toEqual(createHmac('sha512', key).update(published).digest());
      }),
      { numRuns: 200 },
    );
  });

  it('refuses a key longer than a block or a message longer than 64 bytes (they would need hashing first)', () => {
    expect(() => hmacSha512(Buffer.alloc(129), [Buffer.alloc(1)])).toThrow(RangeError);
    expect(() => hmacSha512(Buffer.alloc(32), [Buffer.alloc(65)])).toThrow(RangeError);
  });
});
