// `pnpm chaos --seed N --ops N [--concurrency N] [--rate 0.1]`: a long seeded chaos run on its
// own emulator. Prints the outcome counts as JSON; exits 1 when any defect was counted.
import { parseArgs } from 'node:util';
// @ts-expect-error -- plain ESM helper shared with the tests; it has no type declarations.
import { emulatorEnv, startEmulator } from '../../../scripts/emulator.mjs';
import { isSound, runChaos } from './run-chaos.js';

const { values } = parseArgs({
  options: {
    seed: { type: 'string', default: '1' },
    ops: { type: 'string', default: '2000' },
    concurrency: { type: 'string', default: '4' },
    rate: { type: 'string', default: '0.1' },
  },
});
const emulator = (await startEmulator()) as { endpoint: string; stop: () => Promise<void> };
Object.assign(process.env, emulatorEnv(emulator.endpoint));
const started = Date.now();
try {
  const report = await runChaos({
    endpoint: emulator.endpoint,
    seed: Number(values.seed),
    ops: Number(values.ops),
    concurrency: Number(values.concurrency),
    faultRate: Number(values.rate),
    log: (line) => process.stderr.write(`[chaos] ${line}\n`),
  });
  process.stdout.write(`${JSON.stringify({ seed: Number(values.seed), seconds: Math.round((Date.now() - started) / 1000), ...report }, null, 2)}\n`);
  process.exitCode = isSound(report) ? 0 : 1;
} finally {
  await emulator.stop();
}
