// Starts one moto server for the whole test run and stops it at the end. A run killed
// before teardown leaves nothing behind: the server watches its parent (moto_runner.py)
// and the next run reaps stale ones (emulator.mjs).
import type { TestProject } from 'vitest/node';
// @ts-expect-error -- plain ESM helper shared with the examples; it has no type declarations.
import { emulatorEnv, startEmulator } from './emulator.mjs';
import { privateTempFolder } from './test-temp.js';

declare module 'vitest' {
  export interface ProvidedContext {
    awsEndpoint: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const emulator = (await startEmulator()) as { endpoint: string; logFile: string; stop: () => Promise<void> };
  Object.assign(process.env, emulatorEnv(emulator.endpoint));
  project.provide('awsEndpoint', emulator.endpoint);
  process.stderr.write(`[emulator] moto on ${emulator.endpoint} (log: ${emulator.logFile})\n`);
  // After the emulator started: moto's own spill files stay in the system temp folder.
  const checkTempFolder = privateTempFolder();
  return async () => {
    await emulator.stop();
    checkTempFolder();
  };
}
