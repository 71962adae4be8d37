// `phiseal demo` where no clone is around (the CLI installed from npm into a project): it
// cannot start the emulator, so it explains how to get one and exits with the I/O code,
// leaving nothing behind (no .phiseal/dev.key, no emulator files) in the working directory.
// The CLI's sources and the examples' support code are copied outside the clone (the
// emulator is found from the code's own location, not the working directory) and run as a
// real process through tsx, resolving the workspace packages from the clone's sources.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { scratchDir } from '@phiseal/test-support';
import { expect, it } from 'vitest';
import { EXIT_CODES } from '../src/index.js';

const repo = fileURLToPath(new URL('../../../', import.meta.url));

function listAll(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' });
}

it('outside the clone: explains how to start an emulator, exits 6, leaves no file', () => {
  const root = scratchDir('demo-outside');
  mkdirSync(join(root, 'packages', 'cli'), { recursive: true });
  cpSync(join(repo, 'packages', 'cli', 'src'), join(root, 'packages', 'cli', 'src'), { recursive: true });
  cpSync(join(repo, 'examples', 'support'), join(root, 'examples', 'support'), { recursive: true });
  symlinkSync(join(repo, 'node_modules'), join(root, 'node_modules'), 'dir');
  const paths = Object.fromEntries(
    ['core', 'guard', 'dynamodb', 's3', 'sqs', 'keystore', 'migrate'].map((name) => [`@phiseal/${name}`, [join(repo, 'packages', name, 'src', 'index.ts')]]),
  );
  writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'outside', private: true, type: 'module' }));
  writeFileSync(join(root, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext', target: 'ES2022', paths } }));
  const cwd = join(root, 'project');
  mkdirSync(cwd);
  const env: Record<string, string> = { PATH: process.env['PATH'] ?? '', HOME: cwd, TSX_TSCONFIG_PATH: join(root, 'tsconfig.json') };
  const tsx = pathToFileURL(join(repo, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;
  const result = spawnSync(process.execPath, ['--import', tsx, join(root, 'packages', 'cli', 'src', 'bin.ts'), 'demo'], { cwd, env, encoding: 'utf8', timeout: 90_000 });
  const output = `${result.stdout}${result.stderr}`;
  expect(result.status, output).toBe(EXIT_CODES.io);
  expect(output).toContain('moto_server');
  expect(output).toContain('AWS_ENDPOINT_URL=');
  expect(output).toContain('PHISEAL_KMS_KEY_ID=');
  expect(listAll(cwd)).toEqual([]);
  expect(listAll(join(root, 'packages')).concat(listAll(join(root, 'examples'))).filter((f) => f.includes('.phiseal') || f.includes('.emulator') || f.endsWith('dev.key'))).toEqual([]);
}, 120_000);
