// Runs one example as a program: `pnpm exec tsx examples/patient-records.ts`.
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { embeddedDefault, type Environment } from './embedded.js';
import type { ExampleReport } from './report.js';

/** Whether the module at `moduleUrl` is the program being run (not imported by `phiseal demo`). */
export function isMain(moduleUrl: string): boolean {
  return process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(moduleUrl);
}

/** Runs `run` on the embedded default, prints what AWS stored, and sets a failing exit code on error. */
export async function runStandalone(run: (env: Environment) => Promise<ExampleReport>): Promise<void> {
  const env = await embeddedDefault();
  try {
    console.log(`running on ${env.description}`);
    const report = await run(env);
    console.log(`\nwhat AWS stores (read back with plain SDK clients):`);
    for (const r of report.stored) {
      console.log(`  ${r.service.padEnd(8)} ${r.location} ${r.what}: ${r.bytes} bytes  ${r.prefix}`);
    }
    const leaks = report.stored.filter((r) => r.plaintextFound).length;
    console.log(`plaintext of ${report.phiValuesChecked} PHI values searched in ${report.stored.length} stored records: ${leaks === 0 ? 'not found' : `FOUND in ${leaks}`}`);
  } catch (error) {
    console.error(error);
    process.exitCode = 1;
  } finally {
    await env.stop();
  }
}
