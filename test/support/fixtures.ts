// Small helpers shared by the integration tests of several packages.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { awsClientConfig } from './clients.js';

/** Deterministic non-trivial bytes (xorshift32), so failures reproduce. */
export function pattern(size: number, seed = 1): Buffer {
  const out = Buffer.alloc(size);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < size; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

/** Resolves to the rejection of a promise; fails the test if the promise resolves. */
export async function rejection(promise: Promise<unknown>): Promise<{ code?: string; details?: Record<string, unknown> }> {
  try {
    await promise;
  } catch (error) {
    return error as { code?: string; details?: Record<string, unknown> };
  }
  throw new Error('expected a rejection');
}

const venvPython = fileURLToPath(new URL('../../.venv/bin/python', import.meta.url));

/**
 * Runs a Python interop peer (an official AWS client driven by a committed script) from
 * the repo-local virtualenv, against this run's emulator.
 */
export function runPythonPeer(script: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = {
    ...process.env,
    AWS_ENDPOINT_URL: awsClientConfig().endpoint,
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_REGION: 'us-east-1',
  };
  return new Promise((resolve) => {
    execFile(venvPython, [script, ...args], { env, timeout: 120_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}
