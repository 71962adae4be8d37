import { isCliFailure } from './cli-failure.js';
import { EXIT_CODES, exitCodeOf, isPhisealError, type ExitCode } from './exit-codes.js';
import { writeLine, type CliIo } from './io.js';

type NodeSystemError = Error & { code: string; syscall?: string; path?: string };
type AwsServiceError = Error & { $metadata: { httpStatusCode?: number } };

const isSystemError = (e: unknown): e is NodeSystemError =>
  e instanceof Error && typeof (e as Partial<NodeSystemError>).code === 'string' && typeof (e as Partial<NodeSystemError>).syscall === 'string';
const isAwsError = (e: unknown): e is AwsServiceError => e instanceof Error && typeof (e as Partial<AwsServiceError>).$metadata === 'object';

/**
 * Prints a failure as `phiseal: CODE: message` on stderr and returns its exit code.
 * Only messages known to be value-free are printed: PhisealError messages never carry
 * plaintext, and AWS messages (which can quote request fields) are reduced to their name.
 */
export function reportFailure(error: unknown, io: CliIo): ExitCode {
  if (error instanceof Error && error.name === 'AbortError') {
    writeLine(io.stderr, 'phiseal: INTERRUPTED: stopped before the end; no output file was written');
    return EXIT_CODES.interrupted;
  }
  if (isCliFailure(error)) {
    writeLine(io.stderr, `phiseal: ${error.code}: ${error.message}`);
    return error.exitCode;
  }
  if (isPhisealError(error)) {
    writeLine(io.stderr, `phiseal: ${error.code}: ${error.message}`);
    return exitCodeOf(error.code);
  }
  if (isSystemError(error)) {
    // stdout closed by the reader (`| head`): not worth a message.
    if (error.code !== 'EPIPE') writeLine(io.stderr, `phiseal: ${error.code}: ${error.syscall}${error.path ? ` ${error.path}` : ''} failed`);
    return EXIT_CODES.io;
  }
  if (error instanceof Error && error.name === 'CredentialsProviderError') {
    writeLine(io.stderr, 'phiseal: AWS_CREDENTIALS_MISSING: no AWS credentials found (AWS_PROFILE, AWS_ACCESS_KEY_ID, SSO, ...)');
    return EXIT_CODES.io;
  }
  if (isAwsError(error)) {
    writeLine(io.stderr, `phiseal: AWS_REQUEST_FAILED: ${error.name} (HTTP ${error.$metadata.httpStatusCode ?? '?'})`);
    return EXIT_CODES.io;
  }
  const name = error instanceof Error ? error.name : typeof error;
  writeLine(io.stderr, `phiseal: INTERNAL: unexpected ${name}; set PHISEAL_DEBUG=1 for the stack`);
  if (io.env['PHISEAL_DEBUG'] === '1' && error instanceof Error && error.stack) writeLine(io.stderr, error.stack);
  return EXIT_CODES.internal;
}
