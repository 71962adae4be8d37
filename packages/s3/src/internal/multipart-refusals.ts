import { PhisealError } from '@phiseal/guard';

// Fields S3 applies to the whole object at Complete but that describe the plaintext.
export const COMPLETE_REFUSED = ['ChecksumCRC32', 'ChecksumCRC32C', 'ChecksumCRC64NVME', 'ChecksumSHA1', 'ChecksumSHA256', 'MpuObjectSize'];
export const PART_REFUSED = ['ContentMD5', ...COMPLETE_REFUSED.slice(0, 5)];

function refused(command: string, field: string, why: string): PhisealError {
  return new PhisealError('UNSUPPORTED_OPERATION', `${command} field ${field} is refused on an encrypted bucket: ${why}`, { details: { command, field } });
}

/** Refuses a request that sets any of `fields`: they would describe the plaintext, while S3 stores ciphertext. */
export function refuseFields(command: string, input: Record<string, unknown>, fields: readonly string[]): void {
  for (const field of fields) {
    if (input[field] !== undefined) throw refused(command, field, 'it describes the plaintext, but S3 stores ciphertext (the SDK checksums the ciphertext itself).');
  }
}
