import { LocalKeyProvider, createEnvelope } from '@phiseal/core';
import { usageError } from '../internal/cli-failure.js';
import type { Command } from '../internal/command.js';
import { parseContext } from '../internal/context-option.js';
import { EXIT_CODES } from '../internal/exit-codes.js';
import { KEY_HELP, STREAM_OPTIONS, keyProviderFrom } from '../internal/key-options.js';
import { parseOptions } from '../internal/parse-options.js';
import { transformFile } from '../internal/transform-file.js';

const help = `Usage: phiseal decrypt [<input>] [-o <output>] (--kms-key-id ID | --key-file PATH) [--context k=v]...

Decrypts an AWS Encryption SDK message (phiseal's or aws-encryption-cli's, framed or not) or
phiseal's compact stream format from a file or stdin, in constant memory, releasing
each frame only after its tag verifies. A file output is written (mode 0600) to a temporary
file next to it and renamed into place only when the whole stream verified: a tampered or
truncated input leaves no plaintext file behind. On stdout, frames before a bad one have
already been written: check the exit code before using the output.

${KEY_HELP}

Options:
  -o, --output PATH     output file (default stdout)
  -c, --context k=v     pair the stored encryption context must contain, repeatable
  -f, --force           replace an existing output file
  -q, --quiet           no progress bar (it is shown only on a terminal, for inputs >= 1 MiB)
  -h, --help            show this help

Exit codes: 0 ok, 2 usage, 3 tampered/truncated/wrong context, 4 key/KMS problem, 6 I/O.

Examples:
  phiseal decrypt scan.pdf.phiseal -o scan.pdf --kms-key-id alias/phi --context tenant=clinic-a
  phiseal decrypt --key-file dev.key < clinic.sql.phiseal | psql clinic`;

/** `phiseal decrypt`: the framed stream format back to plaintext, all or nothing for files. */
export const decryptCommand: Command = {
  name: 'decrypt',
  summary: 'decrypt a file or stdin; a tampered input leaves no output file',
  help,
  async run(args, io) {
    const { values, positionals } = parseOptions(
      args,
      STREAM_OPTIONS,
      true,
    );
    if (positionals.length > 1) throw usageError('decrypt takes at most one input');
    const context = parseContext(values.context);
    const keys = keyProviderFrom(values, io);
    const envelope = createEnvelope({ keys });
    try {
      await transformFile(
        {
          input: positionals[0],
          output: values.output,
          force: values.force === true,
          quiet: values.quiet === true,
          label: 'decrypt',
          mode: 0o600,
          transform: () => envelope.decryptStream({ context }),
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
