import { PhisealError } from '@phiseal/guard';

// One message for every decryption failure, whatever the cause: a padding-oracle style
// attacker must not learn whether the header, the key, the context or the tag was wrong.
const DECRYPTION_MESSAGE =
  'Unable to decrypt: the ciphertext is invalid, was modified, or was encrypted under another key or context.';

export const decryptionFailed = (): PhisealError => new PhisealError('DECRYPTION_FAILED', DECRYPTION_MESSAGE);
export const malformed = (): PhisealError => new PhisealError('MALFORMED_CIPHERTEXT', DECRYPTION_MESSAGE);

export const invalidArgument = (message: string): PhisealError => new PhisealError('INVALID_ARGUMENT', message);
export const invalidConfiguration = (message: string): PhisealError =>
  new PhisealError('INVALID_CONFIGURATION', message);
