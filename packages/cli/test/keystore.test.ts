import { DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import { createKmsKey, dynamoClient, uniqueName } from '@phiseal/test-support';
import { afterAll, describe, expect, it } from 'vitest';
import { EXIT_CODES } from '../src/index.js';
import { cli } from './helpers.js';

const table = uniqueName('cli-ks');
afterAll(() => dynamoClient().send(new DeleteTableCommand({ TableName: table })));

type Listing = { branchKeys: { branchKeyId: string; activeVersion: string; versions: string[]; hasBeaconKey: boolean }[] };

describe('phiseal keystore', () => {
  it('create-table, create-key, version-key and list against the emulator', async () => {
    const arn = await createKmsKey('cli key store');
    const created = await cli(['keystore', 'create-table', '--table', table, '--json']);
    expect(created.code).toBe(EXIT_CODES.ok);
    expect(JSON.parse(created.stdout.toString())).toMatchObject({ created: true });
    expect((await cli(['keystore', 'create-table', '--table', table])).stdout.toString()).toMatch(/^exists: /);

    const key = await cli(['keystore', 'create-key', '--table', table, '--kms-key-arn', arn, '--id', 'tenant-0042', '-c', 'plan=enterprise']);
    expect(key.code).toBe(EXIT_CODES.ok);
    expect(key.stdout.toString().trim()).toBe('tenant-0042');
    const generated = await cli(['keystore', 'create-key', '--table', table, '--json'], { env: { PHISEAL_KEYSTORE_KMS_KEY_ARN: arn } });
    const { branchKeyId } = JSON.parse(generated.stdout.toString()) as { branchKeyId: string };
    expect(branchKeyId).toMatch(/^[0-9a-f-]{36}$/);

    const rotated = await cli(['keystore', 'version-key', '--table', table, '--kms-key-arn', arn, '--id', 'tenant-0042', '--json']);
    expect(rotated.code).toBe(EXIT_CODES.ok);
    const { activeVersion } = JSON.parse(rotated.stdout.toString()) as { activeVersion: string };

    const list = JSON.parse((await cli(['keystore', 'list', '--table', table, '--json'])).stdout.toString()) as Listing;
    expect(list.branchKeys.map((k) => k.branchKeyId).sort()).toEqual([branchKeyId, 'tenant-0042'].sort());
    const tenant = list.branchKeys.find((k) => k.branchKeyId === 'tenant-0042')!;
    expect(tenant).toMatchObject({ activeVersion, hasBeaconKey: true });
    expect(tenant.versions).toHaveLength(2);
    expect((await cli(['keystore', 'list', '--table', table])).stdout.toString()).toMatch(/^tenant-0042\tactive [0-9a-f-]{36}\t2 version\(s\)\tbeacon$/m);
  });

  it('exit codes: usage, PHI in an id or context, a missing branch key', async () => {
    const arn = await createKmsKey('cli key store errors');
    expect((await cli(['keystore', 'list'])).code).toBe(EXIT_CODES.usage);
    expect((await cli(['keystore', 'shred', '--table', table])).code).toBe(EXIT_CODES.usage);
    expect((await cli(['keystore', 'create-key', '--table', table])).code).toBe(EXIT_CODES.usage);
    expect((await cli(['keystore', 'version-key', '--table', table, '--kms-key-arn', arn])).code).toBe(EXIT_CODES.usage);
    expect((await cli(['keystore', 'create-key', '--table', table, '--kms-key-arn', 'alias/x'])).code).toBe(EXIT_CODES.usage);
    const phi = await cli(['keystore', 'create-key', '--table', table, '--kms-key-arn', arn, '--id', 'jane.doe@example.com', '-c', 'a=b']);
    expect(phi.code).toBe(EXIT_CODES.phi);
    expect(phi.stderr).not.toContain('jane.doe');
    const missing = await cli(['keystore', 'version-key', '--table', table, '--kms-key-arn', arn, '--id', 'no-such-tenant']);
    expect(missing.code).toBe(EXIT_CODES.key);
    expect(missing.stderr).toContain('BRANCH_KEY_NOT_FOUND');
  });
});
