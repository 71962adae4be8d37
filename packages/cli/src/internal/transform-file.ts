import { once } from 'node:events';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Readable, Transform, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { openAtomicFile, type AtomicFile } from './atomic-file.js';
import { isTerminal, writeLine, type CliIo } from './io.js';
import { progressBar, wantsProgress, type ProgressBar } from './progress-bar.js';
import { tempDirOf } from './temp-files.js';

/** Where `encrypt` and `decrypt` read and write, and how. */
export type TransformFileOptions = {
  /** A path, or `-`/undefined for stdin. */
  input: string | undefined;
  /** A path, or `-`/undefined for stdout. */
  output: string | undefined;
  force: boolean;
  quiet: boolean;
  /** Label of the progress bar. */
  label: string;
  /** Mode of a created output file. */
  mode: number;
  /** Made after the input and output are open, so a missing input fails before any key is used. */
  transform: () => Transform;
};

const isStdio = (path: string | undefined): boolean => path === undefined || path === '-';

/** Writes into a stream it does not own (stdout): never ends it, waits on back-pressure. */
function into(out: Writable): (source: AsyncIterable<Buffer>) => Promise<void> {
  return async (source) => {
    for await (const chunk of source) {
      if (!out.write(chunk)) await once(out, 'drain');
    }
  };
}

/**
 * Streams input through `transform` to output in constant memory. A file output is
 * written to a temporary file and renamed into place only when every byte went through,
 * so a failure (a tampered frame, a KMS error, Ctrl-C) leaves no partial file.
 */
export async function transformFile(options: TransformFileOptions, io: CliIo): Promise<void> {
  let source: Readable = io.stdin;
  let total: number | undefined;
  if (!isStdio(options.input)) {
    const path = options.input as string;
    total = (await stat(path)).size;
    source = createReadStream(path);
  }
  const target: AtomicFile | undefined = isStdio(options.output)
    ? undefined
    : await openAtomicFile(options.output as string, { force: options.force, mode: options.mode });
  if (target && target.swept.length > 0) {
    // Files of runs that were killed (nothing can catch SIGKILL): say what was cleaned up.
    writeLine(io.stderr, `phiseal: removed ${target.swept.length} temporary file(s) left by an interrupted run in ${tempDirOf(options.output as string)}`);
  }
  const signalOption = io.signal ? { signal: io.signal } : {};
  let bar: ProgressBar | undefined;
  try {
    const transform = options.transform();
    const sink = target ? target.stream : into(io.stdout);
    if (wantsProgress({ terminal: isTerminal(io.stderr), quiet: options.quiet, total })) {
      bar = progressBar(io.stderr, options.label, total);
      await pipeline(source, bar, transform, sink, signalOption);
    } else {
      await pipeline(source, transform, sink, signalOption);
    }
    await target?.commit();
    bar?.close(true);
  } catch (error) {
    bar?.close(false);
    if (source !== io.stdin) source.destroy();
    await target?.abort();
    throw error;
  }
}
