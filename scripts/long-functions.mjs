// Lists functions longer than --max-lines (default 60) and files longer than
// --max-file-lines (default 300) across packages/*/src (tests excluded), longest first.
// Why: the house style wants one spec section next to one short function; this finds the
// places that drifted. Exits 0 always (a list to plan from, not a gate).
// Usage: node scripts/long-functions.mjs [--max-lines 60] [--max-file-lines 300] [--tests]
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(name);
  return at >= 0 && args[at + 1] !== undefined ? Number(args[at + 1]) : fallback;
};
const maxLines = option('--max-lines', 60);
const maxFileLines = option('--max-file-lines', 300);
const withTests = args.includes('--tests');
const root = new URL('..', import.meta.url).pathname;

function* sourceFiles(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* sourceFiles(path);
    else if (name.endsWith('.ts') && !name.endsWith('.d.ts') && (withTests || !name.includes('.test.'))) yield path;
  }
}

function nameOf(node) {
  if (node.name !== undefined) return node.name.getText();
  const parent = node.parent;
  if (parent && (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent))) {
    return parent.name.getText();
  }
  return '(anonymous)';
}

const functions = [];
const files = [];
for (const pkg of readdirSync(join(root, 'packages'))) {
  const src = join(root, 'packages', pkg, 'src');
  try {
    statSync(src);
  } catch {
    continue;
  }
  for (const path of sourceFiles(src)) {
    const text = readFileSync(path, 'utf8');
    const file = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true);
    const rel = relative(root, path);
    const fileLines = file.getLineAndCharacterOfPosition(file.end).line + 1;
    if (fileLines > maxFileLines) files.push({ rel, lines: fileLines });
    const visit = (node) => {
      if (ts.isFunctionLike(node) && 'body' in node && node.body !== undefined) {
        const start = file.getLineAndCharacterOfPosition(node.getStart(file)).line + 1;
        const end = file.getLineAndCharacterOfPosition(node.end).line + 1;
        const lines = end - start + 1;
        if (lines > maxLines) functions.push({ rel, start, name: nameOf(node), lines });
      }
      ts.forEachChild(node, visit);
    };
    visit(file);
  }
}

functions.sort((a, b) => b.lines - a.lines);
files.sort((a, b) => b.lines - a.lines);
console.log(`functions over ${maxLines} lines: ${functions.length}`);
for (const f of functions) console.log(`${String(f.lines).padStart(5)}  ${f.rel}:${f.start}  ${f.name}`);
console.log(`files over ${maxFileLines} lines: ${files.length}`);
for (const f of files) console.log(`${String(f.lines).padStart(5)}  ${f.rel}`);
