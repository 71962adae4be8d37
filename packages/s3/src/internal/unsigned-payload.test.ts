import { describe, expect, it } from 'vitest';
import { withUnsignedPayload } from './unsigned-payload.js';

type Captured = (next: (args: { request: unknown }) => Promise<unknown>) => (args: { request: unknown }) => Promise<unknown>;

function captured(): { command: { middlewareStack: { add: (m: never, o: { step: 'build'; name: string }) => void } }; middleware: () => Captured; step: () => string } {
  let middleware: Captured | undefined;
  let step = '';
  return {
    command: {
      middlewareStack: {
        add: (m: never, o: { step: 'build'; name: string }) => {
          middleware = m;
          step = o.step;
        },
      },
    },
    middleware: () => middleware!,
    step: () => step,
  };
}

describe('withUnsignedPayload', () => {
  it('marks https payloads unsigned, before signing', async () => {
    const c = captured();
    withUnsignedPayload(c.command);
    expect(c.step()).toBe('build');
    const request = { protocol: 'https:', headers: {} as Record<string, string> };
    await c.middleware()(() => Promise.resolve(undefined))({ request });
    expect(request.headers['x-amz-content-sha256']).toBe('UNSIGNED-PAYLOAD');
  });

  it('leaves plain-http (loopback) payloads signed', async () => {
    const c = captured();
    withUnsignedPayload(c.command);
    const request = { protocol: 'http:', headers: {} as Record<string, string> };
    await c.middleware()(() => Promise.resolve(undefined))({ request });
    expect(request.headers['x-amz-content-sha256']).toBeUndefined();
  });
});
