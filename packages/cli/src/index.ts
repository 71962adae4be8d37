/**
 * The `phiseal` command as a library: every command runs in-process through {@link run},
 * with the streams and environment it is given, and returns an exit code from
 * {@link EXIT_CODES}. The `phiseal` binary is a thin wrapper around it.
 *
 * Commands: `keygen` (a local key file), `encrypt` / `decrypt` (files or pipes, streaming,
 * KMS or local key), `scan` (PHI in names: arguments, file lines, S3, DynamoDB, SQS, KMS)
 * and `demo` (the examples end to end, showing what AWS stores).
 *
 * @example
 * ```ts
 * import { run } from '@phiseal/cli';
 * const code = await run(['scan', 'patients/jane-doe/123-45-6789.pdf', '--where', 's3.key'], {
 *   stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env,
 * });
 * // code === EXIT_CODES.findings (1)
 * ```
 *
 * @packageDocumentation
 * @module @phiseal/cli
 */
import { run as runCommand } from './run.js';
import { EXIT_CODES as CODES, type ExitCode } from './internal/exit-codes.js';
import type { CliIo } from './internal/io.js';

/**
 * Runs one `phiseal` command line in-process and returns its exit code. Failures are
 * printed on `io.stderr` as `phiseal: CODE: message` (a PhisealError code, `USAGE`,
 * `OUTPUT_EXISTS`, a Node error code or `AWS_REQUEST_FAILED`) and never carry plaintext.
 *
 * @param argv the arguments after the program name
 * @param io standard streams and environment (`PHISEAL_KMS_KEY_ID`, `PHISEAL_KEY_FILE`, `PHISEAL_DEBUG`)
 * @returns the exit code (see {@link EXIT_CODES})
 * @throws never: every failure becomes an exit code
 * @example
 * ```ts
 * const code = await run(['decrypt', 'scan.pdf.phiseal', '-o', 'scan.pdf', '--key-file', 'dev.key'], io);
 * if (code === EXIT_CODES.integrity) console.error('tampered: no output was written');
 * ```
 */
export function run(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  return runCommand(argv, io);
}

/**
 * Exit codes scripts can rely on: `ok` 0, `findings` 1 (scan), `usage` 2, `integrity` 3
 * (tampered, truncated, wrong context), `key` 4 (key file, KMS), `phi` 5 (PHI refused),
 * `io` 6 (files, AWS requests), `internal` 70.
 *
 * @throws never (a constant)
 * @example
 * ```ts
 * if ((await run(['scan', '--file', 'names.txt'], io)) === EXIT_CODES.findings) process.exitCode = 1;
 * ```
 */
export const EXIT_CODES = CODES;

export type { CliIo, ExitCode };
