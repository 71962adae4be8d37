import { decryptCommand } from './commands/decrypt.js';
import { demoCommand } from './commands/demo.js';
import { doctorCommand } from './commands/doctor.js';
import { encryptCommand } from './commands/encrypt.js';
import { keygenCommand } from './commands/keygen.js';
import { keystoreCommand } from './commands/keystore.js';
import { migrateCommand } from './commands/migrate.js';
import { rewrapCommand } from './commands/rewrap.js';
import { scanCommand } from './commands/scan.js';
import { usageError } from './internal/cli-failure.js';
import { didYouMean } from './internal/did-you-mean.js';
import type { Command } from './internal/command.js';
import { EXIT_CODES, type ExitCode } from './internal/exit-codes.js';
import { writeLine, type CliIo } from './internal/io.js';
import { reportFailure } from './internal/report-failure.js';
import { cliVersion } from './internal/version.js';

const COMMANDS: readonly Command[] = [keygenCommand, encryptCommand, decryptCommand, scanCommand, keystoreCommand, migrateCommand, rewrapCommand, doctorCommand, demoCommand];

function overview(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'Usage: phiseal <command> [options]',
    '',
    'Client-side encryption for PHI on AWS, from the command line.',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Options:',
    '  -h, --help      help (also after a command: phiseal encrypt --help)',
    '  -v, --version   print the version',
    '',
    'Exit codes: 0 ok, 1 findings (scan; migrate, rewrap: refused/failed records), 2 usage,',
    '            3 decryption/integrity failure, 4 key/KMS problem (also: sealed under another key),',
    '            5 PHI refused, 6 I/O, 75 incomplete (migrate, rewrap: resume), 70 internal error, 130 interrupted.',
  ].join('\n');
}

const wantsHelp = (args: readonly string[]): boolean => args.includes('--help') || args.includes('-h');

/**
 * Runs one `phiseal` command line and returns its exit code. Never throws and never
 * calls `process.exit`: failures are printed on `io.stderr` as `phiseal: CODE: message`.
 *
 * @param argv the arguments after the program name, e.g. `['encrypt', 'a.txt', '-o', 'a.phiseal']`
 * @param io the streams and environment to use
 * @returns an exit code from {@link EXIT_CODES}
 */
export async function run(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  const [name, ...rest] = argv;
  try {
    if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
      writeLine(name === undefined ? io.stderr : io.stdout, overview());
      return name === undefined ? EXIT_CODES.usage : EXIT_CODES.ok;
    }
    if (name === '--version' || name === '-v') {
      writeLine(io.stdout, cliVersion());
      return EXIT_CODES.ok;
    }
    const command = COMMANDS.find((c) => c.name === name);
    if (!command) {
      // Not quoted: a forgotten command makes the first argument (a file name, a value) land here.
      throw usageError(`unknown command${didYouMean(name, COMMANDS.map((c) => c.name))}; run phiseal --help`);
    }
    if (wantsHelp(rest)) {
      writeLine(io.stdout, command.help);
      return EXIT_CODES.ok;
    }
    return await command.run(rest, io);
  } catch (error) {
    return reportFailure(error, io);
  }
}
