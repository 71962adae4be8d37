import { parseArgs, type ParseArgsConfig } from 'node:util';

type Parsed<O extends Options> = ReturnType<typeof parseArgs<{ options: O; allowPositionals: true; strict: true }>>;
import { usageError } from './cli-failure.js';
import { didYouMean } from './did-you-mean.js';

type Options = NonNullable<ParseArgsConfig['options']>;

// What an option name looks like: letters and single dashes, nothing a value would hold.
const OPTION_NAME = /^--?[A-Za-z]+(?:-[A-Za-z]+)*$/;

/**
 * `parseArgs` in strict mode, with its errors turned into usage errors (exit 2) so a typo
 * never runs a command with a default the user did not mean.
 */
export function parseOptions<O extends Options>(args: readonly string[], options: O, allowPositionals: boolean): Parsed<O> {
  try {
    return parseArgs({ args: [...args], options, allowPositionals: allowPositionals as true, strict: true });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    // parseArgs quotes what was typed: a stray positional argument (a file name, a value) is
    // never repeated, and an unknown option only when it is shaped like an option name.
    if (message.startsWith('Unexpected argument')) throw usageError('this command takes no positional arguments');
    // parseArgs names the unknown option as "Unknown option '--wher'": suggest a known one.
    const unknown = /Unknown option '(-{1,2}[^']+)'/.exec(message)?.[1];
    const known = Object.entries(options).flatMap(([name, o]) => [`--${name}`, ...(o.short === undefined ? [] : [`-${o.short}`])]);
    if (unknown === undefined) throw usageError(message);
    const shown = OPTION_NAME.test(unknown) ? ` ${unknown}` : '';
    throw usageError(`unknown option${shown}${didYouMean(unknown, known)}`);
  }
}

/** Parses a positive integer option. */
export function positiveInteger(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 1) throw usageError(`--${name} must be a positive integer`);
  return n;
}
