// Branch key versions are UUIDs (v4 when made by any AWS implementation). The hierarchical
// keyring stores them in each wrapped data key as their 16 raw bytes
// (aws-kms-hierarchical-keyring.md §Ciphertext), and the table as the lower-case text form.

const TEXT = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** True for the canonical lower-case text form of a UUID. */
export const isUuid = (text: string): boolean => TEXT.test(text);

/** 16 bytes of a UUID in text form; undefined when it is not one. */
export function uuidToBytes(text: string): Buffer | undefined {
  if (!isUuid(text)) return undefined;
  return Buffer.from(text.replace(/-/g, ''), 'hex');
}

/** The lower-case text form of 16 UUID bytes. */
export function bytesToUuid(bytes: Uint8Array): string {
  const hex = Buffer.from(bytes).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
