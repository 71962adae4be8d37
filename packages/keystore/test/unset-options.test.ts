// Values from process.env are `string | undefined`; createKeyStore and HierarchicalKeyProvider
// take them as they are and refuse a missing one at creation (INVALID_CONFIGURATION), not at
// the first key operation.
import { createKeyStore, HierarchicalKeyProvider, type KeyStoreOptions } from '@phiseal/keystore';
import { PhisealError } from '@phiseal/core';
import { expect, it } from 'vitest';
import { countingClients, storeKmsKey } from './fixtures.js';

const unset = process.env['PHISEAL_TEST_UNSET_VALUE'];

function refusal(make: () => unknown): unknown {
  try {
    make();
  } catch (error) {
    return PhisealError.is(error) ? [error.code, error.details['option']] : error;
  }
  return 'accepted';
}

it('createKeyStore: an unset tableName or kmsKeyArn is INVALID_CONFIGURATION naming the option', async () => {
  expect(unset).toBeUndefined();
  const { ddb, kms } = countingClients();
  const base: KeyStoreOptions = { tableName: 'branch-keys', ddbClient: ddb, kmsClient: kms, kmsKeyArn: await storeKmsKey() };
  expect(refusal(() => createKeyStore({ ...base, tableName: unset }))).toEqual(['INVALID_CONFIGURATION', 'tableName']);
  expect(refusal(() => createKeyStore({ ...base, kmsKeyArn: unset }))).toEqual(['INVALID_CONFIGURATION', 'kmsKeyArn']);
  expect(refusal(() => createKeyStore({ ...base, logicalKeyStoreName: unset }))).toBe('accepted');
});

it('HierarchicalKeyProvider: an unset branchKeyId is INVALID_CONFIGURATION naming the option', async () => {
  const { ddb, kms } = countingClients();
  const keyStore = createKeyStore({ tableName: 'branch-keys', ddbClient: ddb, kmsClient: kms, kmsKeyArn: await storeKmsKey() });
  expect(refusal(() => new HierarchicalKeyProvider({ keyStore, branchKeyId: unset }))).toEqual(['INVALID_CONFIGURATION', 'branchKeyId']);
});
