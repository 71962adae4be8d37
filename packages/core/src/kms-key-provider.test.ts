import { KMSClient } from '@aws-sdk/client-kms';
import { expect, it } from 'vitest';
import { PhisealError } from '@phiseal/guard';
import { KmsKeyProvider } from './kms-key-provider.js';

// keyId takes `string | undefined` so that `process.env.X` type-checks under
// exactOptionalPropertyTypes; a missing value is refused at construction, before any KMS call.
it('a keyId from an unset environment variable is INVALID_CONFIGURATION at construction', () => {
  const unset = process.env['PHISEAL_TEST_UNSET_KMS_KEY_ARN'];
  expect(unset).toBeUndefined();
  for (const keyId of [unset, '']) {
    let caught: unknown;
    try {
      new KmsKeyProvider({ keyId, client: new KMSClient({ region: 'us-east-1' }) });
    } catch (error) {
      caught = error;
    }
    expect(PhisealError.is(caught) && [caught.code, caught.details['option']]).toEqual(['INVALID_CONFIGURATION', 'keyId']);
  }
});
