#!/usr/bin/env node
// Type-checks every ```ts block of README.md, packages/*/README.md and docs/*.md the way a
// user would paste it: each block becomes a module of a generated TypeScript project under the
// strictest settings (strict, noUncheckedIndexedAccess, exactOptionalPropertyTypes, module
// nodenext) that imports the workspace packages' sources, and tsc must accept it.
//
// Snippets are excerpts, so two things are supplied around them, both visible here:
// - imports: a name a block uses but neither imports nor declares is imported from the
//   package that exports it (phiseal packages, the AWS SDK clients, node:crypto/fs/stream).
//   A name several phiseal packages export (withEncryption) comes from the README's own
//   package, else it must be imported in the block.
// - the reader's own values (`envelope`, `queueUrl`, `logger`, a Lambda `event`…): declared
//   once, with their real types, in snippet-globals.d.ts below. A block that declares one
//   itself shadows it.
// A block that is deliberately not a program (a type excerpt, pseudo-code) is fenced
// ```ts nocheck; keep those rare.
//
//   pnpm check:snippets        exit 1 and file:line errors if any block does not compile
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

const repo = new URL('..', import.meta.url).pathname;
const project = join(repo, '.ci', 'snippets-check');
const packages = readdirSync(join(repo, 'packages')).filter((name) => existsSync(join(repo, 'packages', name, 'src', 'index.ts')));
// Docs of work in progress whose API has not landed yet (#18's fan-out handlers): checked once it has.
const PENDING = [];
const sources = [
  'README.md',
  ...packages.map((name) => `packages/${name}/README.md`),
  ...readdirSync(join(repo, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`),
].filter((file) => existsSync(join(repo, file)) && !PENDING.includes(file));

/** ```ts blocks with the markdown line of their first code line. */
function blocks(file) {
  const lines = readFileSync(join(repo, file), 'utf8').split('\n');
  const found = [];
  for (let i = 0; i < lines.length; i++) {
    const fence = /^```(ts|typescript)(\s+nocheck)?\s*$/.exec(lines[i]);
    if (!fence) continue;
    const start = i + 1;
    let end = start;
    while (end < lines.length && !/^```\s*$/.test(lines[end])) end++;
    if (!fence[2]) found.push({ file, line: start + 1, code: lines.slice(start, end).join('\n') });
    i = end;
  }
  return found;
}

// Names exported by each module a snippet may use without importing it.
const externalModules = {
  '@aws-sdk/client-s3': join(repo, 'node_modules/@aws-sdk/client-s3'),
  '@aws-sdk/client-sqs': join(repo, 'node_modules/@aws-sdk/client-sqs'),
  '@aws-sdk/client-dynamodb': join(repo, 'node_modules/@aws-sdk/client-dynamodb'),
  '@aws-sdk/lib-dynamodb': join(repo, 'node_modules/@aws-sdk/lib-dynamodb'),
  '@aws-sdk/client-kms': join(repo, 'node_modules/@aws-sdk/client-kms'),
  '@aws-sdk/lib-storage': join(repo, 'packages/s3/node_modules/@aws-sdk/lib-storage'),
};
const paths = Object.fromEntries(packages.map((name) => [`@phiseal/${name}`, [join(repo, 'packages', name, 'src', 'index.ts')]]));
paths['@aws-sdk/lib-storage'] = [join(externalModules['@aws-sdk/lib-storage'], 'dist-types/index.d.ts')];
paths['aws-lambda'] = [join(repo, 'packages/sqs/node_modules/@types/aws-lambda/index.d.ts')];

function exportsOf() {
  const stubs = [...new Set([...Object.keys(paths), ...Object.keys(externalModules), 'node:crypto', 'node:fs', 'node:stream'])].filter((m) => m !== 'aws-lambda');
  const host = ts.createCompilerHost({});
  const stubFile = join(project, '__exports.ts');
  const text = stubs.map((m, i) => `import * as m${i} from '${m}';`).join('\n') + `\nexport {};\n`;
  const original = host.readFile;
  host.readFile = (f) => (f === stubFile ? text : original(f));
  const fileExists = host.fileExists;
  host.fileExists = (f) => f === stubFile || fileExists(f);
  const options = { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, target: ts.ScriptTarget.ES2022, paths, types: ['node'], typeRoots: [join(repo, 'node_modules/@types')], noEmit: true, skipLibCheck: true };
  const program = ts.createProgram([stubFile], options, host);
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(stubFile);
  const owners = new Map(); // name -> [module]
  source.statements.filter(ts.isImportDeclaration).forEach((statement, i) => {
    const symbol = checker.getSymbolAtLocation(statement.moduleSpecifier);
    if (!symbol) throw new Error(`cannot resolve ${stubs[i]}`);
    for (const exported of checker.getExportsOfModule(symbol)) {
      const name = exported.getName();
      owners.set(name, [...(owners.get(name) ?? []), stubs[i]]);
    }
  });
  return owners;
}

/** Names a block declares or imports, and the identifiers it uses (not property names). */
function names(code) {
  const source = ts.createSourceFile('snippet.ts', code, ts.ScriptTarget.ES2022, true);
  const declared = new Set();
  const used = new Set();
  const visit = (node) => {
    if (ts.isIdentifier(node)) {
      const parent = node.parent;
      const isDeclaration = (ts.isVariableDeclaration(parent) || ts.isFunctionDeclaration(parent) || ts.isClassDeclaration(parent) || ts.isParameter(parent) || ts.isTypeAliasDeclaration(parent) || ts.isInterfaceDeclaration(parent) || ts.isImportSpecifier(parent) || ts.isImportClause(parent) || ts.isNamespaceImport(parent) || ts.isBindingElement(parent) || ts.isImportEqualsDeclaration(parent)) && parent.name === node;
      const isProperty = (ts.isPropertyAccessExpression(parent) && parent.name === node) || (ts.isPropertyAssignment(parent) && parent.name === node) || (ts.isQualifiedName(parent) && parent.right === node) || ts.isPropertySignature(parent) || (ts.isBindingElement(parent) && parent.propertyName === node) || (ts.isImportSpecifier(parent) && parent.propertyName === node);
      if (isDeclaration) declared.add(node.text);
      else if (!isProperty) used.add(node.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return { declared, used };
}

function preferred(modules, file) {
  if (modules.length === 1) return modules[0];
  const own = /^packages\/([^/]+)\//.exec(file)?.[1];
  if (own && modules.includes(`@phiseal/${own}`)) return `@phiseal/${own}`;
  // PhisealError and friends: core re-exports guard's.
  if (modules.includes('@phiseal/core')) return '@phiseal/core';
  return undefined;
}

const GLOBALS = `import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { KMSClient } from '@aws-sdk/client-kms';
import type { S3Client } from '@aws-sdk/client-s3';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { SQSEvent } from 'aws-lambda';
import type { Envelope, KeyProvider } from '@phiseal/core';
import type { KeyStore } from '@phiseal/keystore';
import type { TableConfig } from '@phiseal/dynamodb';

// What a reader of the docs already has in scope where a snippet runs.
declare global {
  const logger: { info: (event: unknown) => void; warn: (event: unknown) => void; error: (event: unknown) => void };
  const envelope: Envelope;
  const keys: KeyProvider;
  const keyStore: KeyStore;
  const branchKeyId: string;
  const kmsKeyArn: string;
  const ddbClient: DynamoDBClient;
  const documentClient: DynamoDBDocumentClient;
  const dynamoDBClient: DynamoDBClient;
  const kmsClient: KMSClient;
  const s3Client: S3Client;
  const sqsClient: SQSClient;
  const queueUrl: string;
  const event: SQSEvent;
  const studyId: string;
  const path: string;
  const fileName: string;
  const json: string;
  const bytes: Uint8Array;
  const context: Record<string, string>;
  const tableConfig: TableConfig;
  const config: TableConfig;
  const patients: TableConfig;
  const doc: DynamoDBDocumentClient;
  const source: Envelope;
  const target: Envelope;
  const OLD_KEY: string;
  const NEW_KEY: string;
  const value: string;
  const visit: Record<string, unknown>;
  const handle: (message: unknown) => Promise<void>;
  const dynamo: DynamoDBClient;
  const s3: S3Client;
  const signal: AbortSignal;
  const onProgress: (...progress: unknown[]) => void;
}
export {};
`;

rmSync(project, { recursive: true, force: true });
mkdirSync(join(project, 'snippets'), { recursive: true });
let failed = false;
try {
  const owners = exportsOf();
  const files = [];
  const origin = new Map(); // generated file -> { file, line, header }
  const problems = [];
  let total = 0;
  for (const source of sources) {
    for (const block of blocks(source)) {
      total++;
      const { declared, used } = names(block.code);
      const imports = new Map(); // module -> names
      for (const name of used) {
        if (declared.has(name)) continue;
        const modules = owners.get(name);
        if (!modules) continue;
        const module = preferred(modules, block.file);
        if (!module) {
          problems.push(`${block.file}:${block.line}: ${name} is exported by ${modules.join(', ')}: import it in the block`);
          continue;
        }
        imports.set(module, [...(imports.get(module) ?? []), name]);
      }
      const header = [...imports].map(([module, list]) => `import { ${list.sort().join(', ')} } from '${module}';`);
      const name = `${block.file.replace(/[^\w]+/g, '-')}-${block.line}.ts`;
      writeFileSync(join(project, 'snippets', name), `${header.join('\n')}\n${block.code}\nexport {};\n`);
      files.push(`snippets/${name}`);
      origin.set(name, { ...block, header: header.length + 1 });
    }
  }
  writeFileSync(join(project, 'snippet-globals.d.ts'), GLOBALS);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'snippets-check', private: true, type: 'module' }));
  writeFileSync(
    join(project, 'tsconfig.json'),
    JSON.stringify(
      {
        compilerOptions: {
          target: 'ES2022', lib: ['ES2023'], module: 'nodenext', moduleResolution: 'nodenext', strict: true,
          noUncheckedIndexedAccess: true, exactOptionalPropertyTypes: true, noImplicitOverride: true, noEmit: true,
          skipLibCheck: true, types: ['node'], typeRoots: [join(repo, 'node_modules/@types')], paths,
        },
        files: ['snippet-globals.d.ts', ...files],
      },
      null,
      2,
    ),
  );
  let output = '';
  try {
    execFileSync(join(repo, 'node_modules/.bin/tsc'), ['-p', project, '--pretty', 'false'], { cwd: project, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    output = `${error.stdout ?? ''}${error.stderr ?? ''}`;
  }
  for (const line of output.split('\n').filter(Boolean)) {
    const match = /^snippets\/([^()]+)\((\d+),(\d+)\): (.*)$/.exec(line);
    const where = match && origin.get(match[1]);
    if (where) {
      const row = Number(match[2]) - where.header;
      problems.push(`${where.file}:${where.line + row - 1}:${match[3]}: ${match[4]}`);
    } else problems.push(line.startsWith(repo) ? relative(repo, line) : line);
  }
  for (const problem of problems) process.stderr.write(`${problem}\n`);
  failed = problems.length > 0;
  process.stdout.write(`check:snippets: ${total} block(s) from ${sources.length} file(s), ${problems.length} problem(s)\n`);
} finally {
  rmSync(project, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
