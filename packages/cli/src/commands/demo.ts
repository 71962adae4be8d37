import { cliFailure, usageError } from '../internal/cli-failure.js';
import type { Command } from '../internal/command.js';
import { DEMO_EXAMPLES, loadEmbeddedDefault, loadExample, type DemoEnvironment, type DemoReport } from '../internal/demo-examples.js';
import { EXIT_CODES, type ExitCode } from '../internal/exit-codes.js';
import { writeLine, type CliIo } from '../internal/io.js';
import { parseOptions, positiveInteger } from '../internal/parse-options.js';
import { reportFailure } from '../internal/report-failure.js';

const help = `Usage: phiseal demo [--only NAME]... [--imaging-mib N]

Runs the examples end to end and shows what AWS stores: each record read back raw with
plain AWS SDK clients (a prefix and its length) and a check that no plaintext PHI value
appears in it. Examples: ${DEMO_EXAMPLES.map((e) => e.name).join(', ')}.

Runs on the embedded default: a local key held in memory (never written to disk; or the
key file PHISEAL_KEY_FILE names) and the moto emulator
on 127.0.0.1 started for the run (needs Python 3; see the README). With AWS_ENDPOINT_URL
set it uses that endpoint instead; with PHISEAL_KMS_KEY_ID set, real AWS and that KMS key
(it creates and deletes its own table, queue and buckets).

Options:
  --only NAME        run only this example (repeatable)
  --imaging-mib N    size of the generated imaging study (default 40)
  -h, --help         show this help

Exit codes: 0 every example passed; otherwise the exit code of the first failure.`;

function printReport(io: CliIo, report: DemoReport): void {
  writeLine(io.stdout, '  what AWS stores, read back with plain AWS SDK clients:');
  for (const r of report.stored) {
    writeLine(io.stdout, `    ${r.service.padEnd(8)} ${r.location} (${r.what})`);
    writeLine(io.stdout, `    ${''.padEnd(8)} ${r.bytes} bytes: ${r.prefix}`);
  }
  const leaks = report.stored.filter((r) => r.plaintextFound).length;
  writeLine(
    io.stdout,
    leaks === 0
      ? `  plaintext: none of the ${report.phiValuesChecked} PHI values written appears in the ${report.stored.length} stored record(s)`
      : `  LEAK: plaintext found in ${leaks} stored record(s)`,
  );
}

/** `phiseal demo`: the examples end to end, with what was stored where. */
export const demoCommand: Command = {
  name: 'demo',
  summary: 'run the examples end to end and show the ciphertext stored in DynamoDB, SQS and S3',
  help,
  async run(args, io) {
    const { values } = parseOptions(args, { only: { type: 'string', multiple: true }, 'imaging-mib': { type: 'string' } }, false);
    const only = values.only ?? [];
    const unknown = only.filter((name) => !DEMO_EXAMPLES.some((e) => e.name === name));
    if (unknown.length > 0) throw usageError(`unknown example; choose from ${DEMO_EXAMPLES.map((e) => e.name).join(', ')}`);
    const sizeMiB = positiveInteger(values['imaging-mib'], 'imaging-mib', 40);
    const selected = DEMO_EXAMPLES.filter((e) => only.length === 0 || only.includes(e.name));

    const embeddedDefault = await loadEmbeddedDefault();
    let env: DemoEnvironment;
    try {
      env = await embeddedDefault({ log: (line) => writeLine(io.stdout, `  ${line}`) });
    } catch (error) {
      // The emulator's set-up explains itself (Python missing, pip failed); its text names no data.
      throw cliFailure(EXIT_CODES.io, 'EMULATOR_UNAVAILABLE', error instanceof Error ? error.message : String(error));
    }
    let exitCode: ExitCode = EXIT_CODES.ok;
    let inspected = 0;
    let leaks = 0;
    try {
      writeLine(io.stdout, `phiseal demo on ${env.description}`);
      for (const [i, example] of selected.entries()) {
        writeLine(io.stdout, `\n[${i + 1}/${selected.length}] ${example.name}: ${example.about}`);
        const started = Date.now();
        try {
          const report = await (await loadExample(example.name)).run(env, { sizeMiB });
          printReport(io, report);
          inspected += report.stored.length;
          leaks += report.stored.filter((r) => r.plaintextFound).length;
          writeLine(io.stdout, `  done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
        } catch (error) {
          const code = reportFailure(error, io);
          // The examples' own checks throw plain errors; their messages name no real data.
          if (code === EXIT_CODES.internal && error instanceof Error) writeLine(io.stderr, `  ${error.message}`);
          if (exitCode === EXIT_CODES.ok) exitCode = code;
          writeLine(io.stdout, `  FAILED (exit ${code})`);
        }
      }
    } finally {
      await env.stop();
    }
    writeLine(io.stdout, `\n${selected.length} example(s) run, ${inspected} stored record(s) read back raw, plaintext found in ${leaks}`);
    return exitCode;
  },
};
