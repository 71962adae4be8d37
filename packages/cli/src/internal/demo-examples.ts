import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** What an example's `run` returns (examples/support/report.ts; restated: the CLI cannot import it at build time). */
export type DemoReport = {
  example: string;
  stored: { service: string; location: string; what: string; bytes: number; prefix: string; plaintextFound: boolean }[];
  phiValuesChecked: number;
};

/** The environment `embeddedDefault` makes (examples/support/embedded.ts). */
export type DemoEnvironment = { description: string; log: (line: string) => void; stop: () => Promise<void> };

export type ExampleModule = { run: (env: DemoEnvironment, options?: { sizeMiB?: number }) => Promise<DemoReport> };
type EmbeddedModule = { embeddedDefault: (options: { log: (line: string) => void }) => Promise<DemoEnvironment> };

/** The examples the demo runs, in order, with what each shows. */
export const DEMO_EXAMPLES = [
  { name: 'patient-records', about: 'a patient-records service on DynamoDB, found by MRN through a beacon (@phiseal/dynamodb)' },
  { name: 'lab-results', about: 'a lab-results pipeline on SQS, a large report offloaded to S3, a Lambda-style consumer (@phiseal/sqs)' },
  { name: 'imaging-archive', about: 'an imaging archive streaming a large study to S3 with multipart upload (@phiseal/s3)' },
] as const;

// The examples are compiled with the CLI into dist/examples (tsconfig.examples.json); run
// from source (the tests), they are the repository's examples/ folder.
const CANDIDATES = [
  (file: string) => new URL(`../examples/${file}.js`, import.meta.url),
  (file: string) => new URL(`../../../../examples/${file}.ts`, import.meta.url),
];

function locate(file: string): string {
  for (const candidate of CANDIDATES) {
    const url = candidate(file);
    if (existsSync(fileURLToPath(url))) return pathToFileURL(fileURLToPath(url)).href;
  }
  throw new Error(`example ${file} not found next to the CLI; build it with pnpm build`);
}

/** Loads one example module. */
export async function loadExample(name: string): Promise<ExampleModule> {
  const module = (await import(locate(name))) as Partial<ExampleModule>;
  if (typeof module.run !== 'function') throw new Error(`example ${name} exports no run(env)`);
  return module as ExampleModule;
}

/** Loads `embeddedDefault` from the examples' support code. */
export async function loadEmbeddedDefault(): Promise<EmbeddedModule['embeddedDefault']> {
  return ((await import(locate('support/embedded'))) as EmbeddedModule).embeddedDefault;
}
