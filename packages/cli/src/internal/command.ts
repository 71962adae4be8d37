import type { ExitCode } from './exit-codes.js';
import type { CliIo } from './io.js';

/** One `phiseal` subcommand: its help text and its action. */
export type Command = {
  readonly name: string;
  /** One line for the command list. */
  readonly summary: string;
  /** Full `--help` text. */
  readonly help: string;
  /** Runs with the arguments after the command name; throws on failure (reported by `run`). */
  run(args: readonly string[], io: CliIo): Promise<ExitCode>;
};
