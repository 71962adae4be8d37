#!/usr/bin/env node
// Every export of every package's public entry (src/index.ts) carries an @example in its TSDoc
// (house rule; typedoc does not enforce it). Classes count their own comment; a re-exported
// alias counts its target's. Prints `package: Name (file:line)` for each one missing.
//
//   pnpm check:examples        exit 1 if any export lacks @example
import { existsSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

const repo = new URL('..', import.meta.url).pathname;
const entries = readdirSync(join(repo, 'packages'))
  .map((name) => ({ name, file: join(repo, 'packages', name, 'src', 'index.ts') }))
  .filter((entry) => existsSync(entry.file));
const program = ts.createProgram(
  entries.map((entry) => entry.file),
  {
    module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, target: ts.ScriptTarget.ES2022, noEmit: true, skipLibCheck: true,
    // Re-exports of other workspace packages resolve to their sources (dist may not be built).
    paths: Object.fromEntries(entries.map((entry) => [`@phiseal/${entry.name}`, [entry.file]])),
  },
);
const checker = program.getTypeChecker();

function hasExample(declaration) {
  // A variable's comment sits on its statement.
  const node = ts.isVariableDeclaration(declaration) ? declaration.parent.parent : declaration;
  return ts.getJSDocTags(node).some((tag) => tag.tagName.text === 'example')
    || ts.getJSDocCommentsAndTags(node).some((doc) => ts.isJSDoc(doc) && (doc.tags ?? []).some((tag) => tag.tagName.text === 'example'));
}

const missing = [];
let total = 0;
for (const entry of entries) {
  const source = program.getSourceFile(entry.file);
  const module = source && checker.getSymbolAtLocation(source);
  if (!module) continue;
  for (const exported of checker.getExportsOfModule(module)) {
    total++;
    const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
    const declarations = symbol.declarations ?? [];
    if (declarations.some(hasExample)) continue;
    const first = declarations[0];
    const where = first ? `${relative(repo, first.getSourceFile().fileName)}:${first.getSourceFile().getLineAndCharacterOfPosition(first.getStart()).line + 1}` : '?';
    missing.push(`@phiseal/${entry.name}: ${exported.getName()} (${where})`);
  }
}
for (const line of missing) process.stderr.write(`${line}\n`);
process.stdout.write(`check:examples: ${total} export(s), ${missing.length} without @example\n`);
process.exit(missing.length > 0 ? 1 : 0);
