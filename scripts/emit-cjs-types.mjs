// Writes a CommonJS twin (.d.cts) of every declaration file in packages/*/dist, after `tsc -b`.
// Why: the packages are ESM-only; Node 20.19+ and 22.12+ load them from require() (require(esm),
// the same module instance as import, so no dual-package hazard for PhisealError or the cache),
// but a TypeScript project compiled to CommonJS with `module: node16` refuses to type-import an
// ES module (TS1479). The `require` condition of each exports map points such projects at these
// twins: the same declarations, with relative specifiers renamed .js -> .cjs so that they
// resolve to the twins too. At run time, dist/index.cjs (the `require` entry) is one line that
// require()s dist/index.js: the ES module itself, one instance shared with `import`.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('../packages/', import.meta.url).pathname;
// `from './x.js'`, `import('./x.js')`, `export * from '../y/index.js'`
const relative = /((?:from|import)\s*\(?\s*)(['"])(\.{1,2}\/[^'"]*?)\.js\2/g;

function walk(dir, out = []) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path, out);
    else if (name.endsWith('.d.ts') && !name.endsWith('.test.d.ts')) out.push(path);
  }
  return out;
}

let written = 0;
for (const pkg of readdirSync(root)) {
  const dist = join(root, pkg, 'dist');
  try {
    statSync(dist);
  } catch {
    continue;
  }
  writeFileSync(join(dist, 'index.cjs'), "'use strict';\n// require(esm): the same module instance as import (Node >= 20.19).\nmodule.exports = require('./index.js');\n");
  for (const file of walk(dist)) {
    const source = readFileSync(file, 'utf8')
      .replace(relative, (_m, lead, quote, path) => `${lead}${quote}${path}.cjs${quote}`)
      .replace(/^\/\/# sourceMappingURL=.*$/m, '');
    writeFileSync(file.replace(/\.d\.ts$/, '.d.cts'), source);
    written++;
  }
}
console.log(`emit-cjs-types: ${written} .d.cts files and a require entry per package`);
