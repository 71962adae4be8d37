import { EXIT_CODES, type ExitCode } from './exit-codes.js';

/** A failure the CLI itself detects (bad usage, existing output), with its own code and exit code. */
export type CliFailure = Error & { readonly code: string; readonly exitCode: ExitCode; readonly cliFailure: true };

/** Makes a {@link CliFailure}. The message must not quote file contents or values. */
export function cliFailure(exitCode: ExitCode, code: string, message: string): CliFailure {
  return Object.assign(new Error(message), { code, exitCode, cliFailure: true as const });
}

/** A usage error (exit 2). */
export const usageError = (message: string): CliFailure => cliFailure(EXIT_CODES.usage, 'USAGE', message);

/** Whether a value is a {@link CliFailure}. */
export function isCliFailure(value: unknown): value is CliFailure {
  return value instanceof Error && (value as Partial<CliFailure>).cliFailure === true;
}
