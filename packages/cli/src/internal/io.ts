import type { Readable, Writable } from 'node:stream';

/**
 * The streams and environment a command runs with. The binary passes the process's own;
 * tests pass in-memory streams, so every command runs in-process.
 *
 * @example
 * ```ts
 * import { run, type CliIo } from '@phiseal/cli';
 * const io: CliIo = { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env };
 * process.exitCode = await run(['scan', '--file', 'names.txt'], io);
 * ```
 */
export type CliIo = {
  stdin: Readable;
  stdout: Writable;
  stderr: Writable;
  /** Environment for phiseal's own settings (`PHISEAL_*`); the AWS SDK reads `process.env` itself. */
  env: Readonly<Record<string, string | undefined>>;
  /** Aborts a running command (the binary wires it to SIGINT/SIGTERM); partial output files are removed. */
  signal?: AbortSignal;
};

/** Whether a stream is an interactive terminal (progress bars, refusing binary output). */
export function isTerminal(stream: Readable | Writable): boolean {
  return (stream as { isTTY?: boolean }).isTTY === true;
}

/** Writes one line. Output is small (help, tables, summaries), so back-pressure is not awaited. */
export function writeLine(stream: Writable, line = ''): void {
  stream.write(`${line}\n`);
}
