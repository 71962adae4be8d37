// CommonJS consumers, from the packed tarballs (what npm users get), in a project of their own:
// 1. a TypeScript project with `module: node16` compiled to CommonJS under the strictest
//    settings type-checks against the packages (the .d.cts twins);
// 2. the compiled require() calls run on this Node (require(esm), Node >= 20.19) and see the
//    same module instances as import: one PhisealError class, one DataKeyCache class.
// The project lives under .ci/ so the AWS SDK peers resolve from the repository's node_modules;
// it is removed at the end. Run after `pnpm build`.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const repo = new URL('..', import.meta.url).pathname;
const project = join(repo, '.ci', 'commonjs-check');
const packages = ['guard', 'core', 's3', 'sqs', 'dynamodb', 'migrate'];
const run = (cmd, args, cwd) => execFileSync(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });

rmSync(project, { recursive: true, force: true });
mkdirSync(join(project, 'tarballs'), { recursive: true });
try {
  for (const name of packages) {
    run('npx', ['-y', 'pnpm@12.4.2', 'pack', '--pack-destination', join(project, 'tarballs')], join(repo, 'packages', name));
  }
  const tarballs = readdirSync(join(project, 'tarballs'));
  const dependencies = Object.fromEntries(
    packages.map((name) => [`@phiseal/${name}`, `file:tarballs/${tarballs.find((t) => t.startsWith(`phiseal-${name}-`))}`]),
  );
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'cjs-consumer', private: true, type: 'commonjs', dependencies }, null, 2));
  writeFileSync(
    join(project, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        module: 'node16', moduleResolution: 'node16', target: 'ES2022', strict: true, exactOptionalPropertyTypes: true,
        noUncheckedIndexedAccess: true, noImplicitOverride: true, noPropertyAccessFromIndexSignature: true,
        skipLibCheck: false, types: ['node'], typeRoots: [join(repo, 'node_modules/@types')], outDir: 'out',
      },
      files: ['main.ts'],
    }),
  );
  writeFileSync(
    join(project, 'main.ts'),
    `import { PhisealError, createEnvelope, LocalKeyProvider, DataKeyCache } from '@phiseal/core';
import { PhisealError as GuardError, createGuard } from '@phiseal/guard';
import { encryptedS3 } from '@phiseal/s3';
import { encryptedQueue, decryptRecord } from '@phiseal/sqs';
import { encryptedTable, encryptItem } from '@phiseal/dynamodb';
import { migrateScanSegment, migrateItem } from '@phiseal/migrate';
import assert = require('node:assert');

async function main(): Promise<void> {
  const envelope = createEnvelope({ keys: new LocalKeyProvider({ keyId: 'cjs', key: new Uint8Array(32).fill(1) }), cache: new DataKeyCache({}) });
  const sealed = await envelope.encryptToString('HbA1c 6.1%', { context: { tenant: 'a' } });
  const { plaintext } = await envelope.decrypt(sealed, { context: { tenant: 'a' } });
  assert.strictEqual(Buffer.from(plaintext).toString(), 'HbA1c 6.1%');
  // One module instance for require and import: the same class objects.
  const esm = (await import('@phiseal/core')) as unknown as { PhisealError: unknown; DataKeyCache: unknown };
  assert.strictEqual(esm.PhisealError, PhisealError);
  assert.strictEqual(esm.DataKeyCache, DataKeyCache);
  assert.strictEqual(GuardError, PhisealError);
  try {
    createGuard().check('jane.doe@example.com', 's3.key');
    assert.fail('expected PHI_DETECTED');
  } catch (error) {
    assert.ok(error instanceof PhisealError && error.code === 'PHI_DETECTED');
  }
  for (const fn of [encryptedS3, encryptedQueue, decryptRecord, encryptedTable, encryptItem, migrateScanSegment, migrateItem]) assert.strictEqual(typeof fn, 'function');
  console.log('commonjs-check: ok');
}
void main();
`,
  );
  run('npm', ['install', '--legacy-peer-deps', '--no-audit', '--no-fund', '--offline', '--ignore-scripts'], project);
  run(join(repo, 'node_modules/.bin/tsc'), ['-p', project], project);
  process.stdout.write(run(process.execPath, [join(project, 'out', 'main.js')], project));
} finally {
  rmSync(project, { recursive: true, force: true });
}
