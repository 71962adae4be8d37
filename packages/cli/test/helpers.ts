// In-process CLI runs: real commands, real files, the real emulator; only the standard
// streams are in-memory so the tests can read what a user would see.
import { Readable, Writable } from 'node:stream';
import { scratchDir } from '@phiseal/test-support';
import { run } from '../src/index.js';

export type CliResult = { code: number; stdout: Buffer; stderr: string };

function collector(tty: boolean): { stream: Writable; bytes: () => Buffer } {
  const chunks: Buffer[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(Buffer.from(chunk));
      callback();
    },
  });
  // A terminal is what turns the progress bar on; a stream that says it is one is enough.
  if (tty) Object.assign(stream, { isTTY: true });
  return { stream, bytes: () => Buffer.concat(chunks) };
}

/** Runs `phiseal <args>` in-process. `env` holds PHISEAL_* settings only (none by default). */
export async function cli(
  args: string[],
  options: { stdin?: Uint8Array | string; env?: Record<string, string>; stderrIsTerminal?: boolean; stdoutIsTerminal?: boolean; signal?: AbortSignal } = {},
): Promise<CliResult> {
  const stdout = collector(options.stdoutIsTerminal === true);
  const stderr = collector(options.stderrIsTerminal === true);
  const stdin = Readable.from(options.stdin === undefined ? [] : [Buffer.from(options.stdin)]);
  const io = { stdin, stdout: stdout.stream, stderr: stderr.stream, env: options.env ?? {} };
  const code = await run(args, options.signal ? { ...io, signal: options.signal } : io);
  return { code, stdout: stdout.bytes(), stderr: stderr.bytes().toString('utf8') };
}

/** A fresh temporary directory, removed (with any key file in it) when the test file ends. */
export const tempDir = (): string => scratchDir('cli');
