import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { EXIT_CODES } from '../src/index.js';
import { cli } from './helpers.js';

// The demo runs the repository's examples (from source here) on the test emulator, which
// the examples' embedded default reuses through AWS_ENDPOINT_URL.
describe('phiseal demo', () => {
  it('runs the examples and shows ciphertext, not plaintext, in DynamoDB, SQS and S3', async () => {
    const result = await cli(['demo', '--imaging-mib', '6']);
    const out = result.stdout.toString();
    expect(result.stderr).toBe('');
    expect(result.code).toBe(EXIT_CODES.ok);
    for (const service of ['DynamoDB', 'SQS', 'S3']) expect(out).toMatch(new RegExp(`^    ${service} +\\S`, 'm'));
    expect(out.match(/^ {2}plaintext: none of the \d+ PHI values written appears/gm)).toHaveLength(3);
    expect(out).toMatch(/plaintext found in 0$/m);
    // Issue 11: no key material left behind (the key lived in memory; the run's temp folder is checked by the global set-up).
    expect(out).toContain('in-memory local key');
    expect(existsSync(fileURLToPath(new URL('../../../.phiseal/dev.key', import.meta.url)))).toBe(false);
  }, 120_000);

  it('refuses an unknown example name', async () => {
    expect((await cli(['demo', '--only', 'nope'])).code).toBe(EXIT_CODES.usage);
  });
});
