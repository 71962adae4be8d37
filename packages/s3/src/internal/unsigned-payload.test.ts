import { describe, expect, it } from 'vitest';
import { useUnsignedPayload } from './unsigned-payload.js';

type Captured = (
  next: (args: { request: unknown }) => Promise<unknown>,
  context: { commandName?: string },
) => (args: { request: unknown }) => Promise<unknown>;

function captured(): { command: { middlewareStack: { add: (m: never, o: { step: 'build'; name: string; override?: boolean }) => void } }; middleware: () => Captured; step: () => string } {
  let middleware: Captured | undefined;
  let step = '';
  return {
    command: {
      middlewareStack: {
        add: (m: never, o: { step: 'build'; name: string; override?: boolean }) => {
          middleware = m;
          step = o.step;
        },
      },
    },
    middleware: () => middleware!,
    step: () => step,
  };
}

describe('useUnsignedPayload', () => {
  it('marks https PutObject/UploadPart payloads unsigned, before signing, and nothing else', async () => {
    const c = captured();
    useUnsignedPayload(c.command);
    expect(c.step()).toBe('build');
    const request = { protocol: 'https:', headers: {} as Record<string, string> };
    await c.middleware()(() => Promise.resolve(undefined), { commandName: 'UploadPartCommand' })({ request });
    expect(request.headers['x-amz-content-sha256']).toBe('UNSIGNED-PAYLOAD');
    const other = { protocol: 'https:', headers: {} as Record<string, string> };
    await c.middleware()(() => Promise.resolve(undefined), { commandName: 'GetObjectCommand' })({ request: other });
    expect(other.headers['x-amz-content-sha256']).toBeUndefined();
  });

  it('leaves plain-http (loopback) payloads signed', async () => {
    const c = captured();
    useUnsignedPayload(c.command);
    const request = { protocol: 'http:', headers: {} as Record<string, string> };
    await c.middleware()(() => Promise.resolve(undefined), { commandName: 'PutObjectCommand' })({ request });
    expect(request.headers['x-amz-content-sha256']).toBeUndefined();
  });
});
