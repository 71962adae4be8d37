// Typed access to the moto emulator (scripts/emulator.mjs) and a counter of AWS SDK
// commands, for benchmarks that report how many AWS calls an adapter makes.
// @ts-expect-error -- plain ESM helper shared with the test set-up; no type declarations.
import { emulatorEnv, startEmulator } from '../../scripts/emulator.mjs';

export type Emulator = {
  endpoint: string;
  /** Settings for any AWS SDK v3 client pointed at the emulator. */
  clientConfig: {
    endpoint: string;
    region: string;
    credentials: { accessKeyId: string; secretAccessKey: string };
  };
  stop: () => Promise<void>;
};

/** Starts moto on 127.0.0.1 (installing it into .venv on first use) and sets the AWS_* environment. */
export async function startBenchEmulator(): Promise<Emulator> {
  const started = (await startEmulator()) as { endpoint: string; stop: () => Promise<void> };
  Object.assign(process.env, emulatorEnv(started.endpoint) as Record<string, string>);
  return {
    endpoint: started.endpoint,
    clientConfig: {
      endpoint: started.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    },
    stop: started.stop,
  };
}

type Handler = (args: unknown) => Promise<unknown>;
type AddInitialize = (
  middleware: (next: Handler, context: { commandName?: string }) => Handler,
  options: { step: 'initialize'; name: string; override?: boolean },
) => void;
/**
 * Any AWS SDK v3 client. The parameters are `never` so every service client's overloaded,
 * service-typed `add` fits without this file depending on @smithy/types.
 */
export type CountableClient = { middlewareStack: { add: (middleware: never, options: never) => void } };

/** Per-command call counts, e.g. `{ GenerateDataKeyCommand: 1 }`; `reset()` clears them. */
export type CommandCounter = { readonly counts: Record<string, number>; total: () => number; reset: () => void };

/**
 * Counts every command sent through `client`, once per `send` (SDK retries are not
 * counted twice), by adding an initialize-step middleware.
 */
export function countCommands(client: CountableClient, name = 'benchCommandCounter'): CommandCounter {
  const counts: Record<string, number> = {};
  const add = client.middlewareStack.add.bind(client.middlewareStack) as unknown as AddInitialize;
  add(
    (next, context) => (args) => {
      const command = context.commandName ?? 'unknown';
      counts[command] = (counts[command] ?? 0) + 1;
      return next(args);
    },
    { step: 'initialize', name, override: true },
  );
  return {
    counts,
    total: () => Object.values(counts).reduce((sum, n) => sum + n, 0),
    reset: () => {
      for (const key of Object.keys(counts)) delete counts[key];
    },
  };
}
