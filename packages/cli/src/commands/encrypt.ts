import { LocalKeyProvider, createEnvelope } from '@phiseal/core';
import { usageError } from '../internal/cli-failure.js';
import type { Command } from '../internal/command.js';
import { parseContext } from '../internal/context-option.js';
import { EXIT_CODES } from '../internal/exit-codes.js';
import { isTerminal } from '../internal/io.js';
import { KEY_HELP, STREAM_OPTIONS, keyProviderFrom } from '../internal/key-options.js';
import { parseOptions, positiveInteger } from '../internal/parse-options.js';
import { transformFile } from '../internal/transform-file.js';

const help = `Usage: phiseal encrypt [<input>] [-o <output>] (--kms-key-id ID | --key-file PATH) [--context k=v]...

Encrypts a file or stdin in constant memory into an AWS Encryption SDK message (default:
framed, suite 0x0478, readable by aws-encryption-cli and every Encryption SDK) or into
phiseal's compact stream format (--format compact).
<input> and <output> default to stdin and stdout ("-" names them too). A file output is
written to a temporary file next to it and renamed into place only on success.

${KEY_HELP}

Options:
  -o, --output PATH        output file (default stdout; refused when stdout is a terminal)
  -c, --context k=v        encryption context pair, repeatable; stored in the clear and sent to
                           KMS, so never PHI (refused with exit 5)
  --format esdk|compact    message format (default esdk)
  --frame-length BYTES     plaintext bytes per frame, 1024 to 16777216 (default 65536)
  -f, --force              replace an existing output file
  -q, --quiet              no progress bar (it is shown only on a terminal, for inputs >= 1 MiB)
  -h, --help               show this help

Exit codes: 0 ok, 2 usage, 4 key/KMS problem, 5 PHI in the context, 6 I/O.

Examples:
  phiseal encrypt scan.pdf -o scan.pdf.phiseal --kms-key-id alias/phi --context tenant=clinic-a
  pg_dump clinic | phiseal encrypt --key-file dev.key > clinic.sql.phiseal`;

/** `phiseal encrypt`: file or stdin to the framed stream format. */
export const encryptCommand: Command = {
  name: 'encrypt',
  summary: 'encrypt a file or stdin (KMS key or local key file), streaming',
  help,
  async run(args, io) {
    const { values, positionals } = parseOptions(
      args,
      { ...STREAM_OPTIONS, 'frame-length': { type: 'string' }, format: { type: 'string' } },
      true,
    );
    if (positionals.length > 1) throw usageError('encrypt takes at most one input');
    const output = values.output;
    if ((output === undefined || output === '-') && isTerminal(io.stdout)) {
      throw usageError('refusing to write ciphertext to a terminal; use -o FILE or a pipe');
    }
    const context = parseContext(values.context);
    const frameLength = positiveInteger(values['frame-length'], 'frame-length', 64 * 1024);
    if (frameLength < 1024 || frameLength > 16 * 1024 * 1024) throw usageError('--frame-length must be from 1024 to 16777216');
    const format = values.format ?? 'esdk';
    if (format !== 'esdk' && format !== 'compact') throw usageError('--format must be esdk or compact');
    const keys = keyProviderFrom(values, io);
    const envelope = createEnvelope({ keys });
    try {
      await transformFile(
        {
          input: positionals[0],
          output,
          force: values.force === true,
          quiet: values.quiet === true,
          label: 'encrypt',
          mode: 0o644,
          transform: () => envelope.encryptStream({ context, frameLength, format }),
        },
        io,
      );
    } finally {
      envelope.destroy();
      // The wrapping key from a key file is ours too: zeroize it, not just the data keys.
      if (keys instanceof LocalKeyProvider) keys.destroy();
    }
    return EXIT_CODES.ok;
  },
};
