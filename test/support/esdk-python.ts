// The AWS Encryption SDK for Python as a test peer (packages/core/test/esdk_peer.py:
// aws-encryption-sdk 4.x with the Material Providers Library): one Python process runs a test
// file's whole list of jobs (the library takes seconds to load), in a scratch folder removed
// when the file ends.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runPythonPeer } from './fixtures.js';
import { scratchDir } from './scratch.js';

const PEER = fileURLToPath(new URL('../../packages/core/test/esdk_peer.py', import.meta.url));

/** A test file's jobs for the Python ESDK peer (see esdk_peer.py for the job fields). */
export type EsdkPythonJobs = {
  /** A file in the jobs' folder (inputs and outputs of jobs). */
  path(name: string): string;
  /** Runs every job in one Python process; rejects with the peer's stderr when it fails as a whole. */
  run(jobs: readonly object[]): Promise<void>;
  /** A job's output file; throws the peer's error text when that job failed. */
  output(name: string): Buffer;
  /** The encryption context the peer read from the message it decrypted into `name`. */
  context(name: string): Record<string, string>;
};

/** Jobs for the Python ESDK peer in a fresh scratch folder `phiseal-<prefix>-*`. */
export function esdkPythonJobs(prefix: string): EsdkPythonJobs {
  const dir = scratchDir(prefix);
  const path = (name: string): string => join(dir, name);
  return {
    path,
    async run(jobs) {
      writeFileSync(path('jobs.json'), JSON.stringify(jobs));
      const run = await runPythonPeer(PEER, [path('jobs.json')]);
      if (run.code !== 0) throw new Error(`the Python ESDK peer failed (${run.code}): ${run.stderr}`);
    },
    output(name) {
      if (existsSync(`${path(name)}.error`)) throw new Error(readFileSync(`${path(name)}.error`, 'utf8'));
      return readFileSync(path(name));
    },
    context: (name) => JSON.parse(readFileSync(`${path(name)}.context`, 'utf8')) as Record<string, string>,
  };
}
