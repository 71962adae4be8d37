import { existsSync } from 'node:fs';
import { LocalKeyProvider } from '@phiseal/core';
import { cliFailure, usageError } from '../internal/cli-failure.js';
import type { Command } from '../internal/command.js';
import { EXIT_CODES } from '../internal/exit-codes.js';
import { writeLine } from '../internal/io.js';
import { parseOptions } from '../internal/parse-options.js';

const help = `Usage: phiseal keygen <file> [--key-id ID]

Creates a local key file: 32 random bytes, mode 0600, never overwriting an existing file.
For development and tests; production PHI belongs under an AWS KMS key (--kms-key-id).

Options:
  --key-id ID   name stored with every data key it wraps (default: local-<hash prefix>)
  -h, --help    show this help

Exit codes: 0 created, 2 usage, 6 the file exists or cannot be written.

Example:
  phiseal keygen ./dev.key`;

/** `phiseal keygen`: a new local key file. */
export const keygenCommand: Command = {
  name: 'keygen',
  summary: 'create a local 32-byte key file (mode 0600) for development',
  help,
  run(args, io) {
    const { values, positionals } = parseOptions(args, { 'key-id': { type: 'string' } }, true);
    if (positionals.length !== 1) throw usageError('keygen takes exactly one file name');
    const file = positionals[0] as string;
    // generateFile refuses too (exclusive create); checking first gives the I/O exit code
    // and a clear message instead of a key-file error.
    if (existsSync(file)) throw cliFailure(EXIT_CODES.io, 'OUTPUT_EXISTS', `${file} exists; phiseal never overwrites a key file`);
    const keys = LocalKeyProvider.generateFile(file, values['key-id'] === undefined ? {} : { keyId: values['key-id'] });
    writeLine(io.stdout, `created ${file} (key id ${keys.keyId}, mode 0600)`);
    return Promise.resolve(EXIT_CODES.ok);
  },
};
