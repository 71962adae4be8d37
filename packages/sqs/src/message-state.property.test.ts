import { randomBytes } from 'node:crypto';
import { createEnvelope, LocalKeyProvider } from '@phiseal/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isSealedBody, messageState } from './message-state.js';

// A received message may be read as plaintext only when it carries none of phiseal's markers:
// any marker attribute, or a body the decoder opens as ciphertext, must never classify as
// plaintext, in whichever shape the message arrives.

const MARKERS = ['ExtendedPayloadSize', 'SQSLargePayloadSize', 'PhisealSealedAttributes'];
const userName = fc.string({ minLength: 1, maxLength: 12 }).filter((n) => !MARKERS.includes(n));
const attribute = fc.record({ DataType: fc.constant('String'), StringValue: fc.string() });
const envelope = createEnvelope({ keys: new LocalKeyProvider({ keyId: 'k', key: randomBytes(32) }) });

const shapes = (body: string, attributes: Record<string, unknown>) => [
  { body, attributes },
  { Body: body, MessageAttributes: attributes },
  { body, messageAttributes: attributes },
];

describe('messageState', () => {
  it('any marker attribute, with any body, is never plaintext', () => {
    fc.assert(
      fc.property(fc.string(), fc.dictionary(userName, attribute, { maxKeys: 4 }), fc.subarray(MARKERS, { minLength: 1 }), (body, user, markers) => {
        const attributes: Record<string, unknown> = { ...user };
        for (const m of markers) attributes[m] = { DataType: 'String', StringValue: 'x' };
        for (const message of shapes(body, attributes)) {
          const state = messageState(message);
          expect(state).not.toBe('plaintext');
          if (markers.includes('ExtendedPayloadSize') || markers.includes('SQSLargePayloadSize')) expect(state).toBe('offloaded');
        }
      }),
    );
  });

  it('without markers, plaintext exactly when the decoder would not open the body', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.base64String({ minLength: 56 }), fc.string().map((s) => `ps1.${s}`)), fc.dictionary(userName, attribute, { maxKeys: 4 }), (body, attributes) => {
        for (const message of shapes(body, attributes)) expect(messageState(message)).toBe(isSealedBody(body) ? 'encrypted' : 'plaintext');
      }),
    );
  });

  it('real ciphertext bodies (ESDK and compact) are encrypted, with or without a sealed block', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string(), fc.constantFrom('esdk' as const, 'compact' as const), fc.boolean(), async (text, format, block) => {
        const body = await envelope.encryptToString(text, { format });
        const attributes = block ? { PhisealSealedAttributes: { DataType: 'String', StringValue: 'x' } } : {};
        for (const message of shapes(body, attributes)) expect(messageState(message)).toBe('encrypted');
      }),
      { numRuns: 30 },
    );
  });

  it('never throws on hostile input', () => {
    fc.assert(
      fc.property(fc.anything(), (input) => {
        expect(['plaintext', 'encrypted', 'tampered', 'offloaded']).toContain(messageState(input as never));
      }),
    );
  });
});
