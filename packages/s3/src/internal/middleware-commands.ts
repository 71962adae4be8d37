import { PhisealError } from '@phiseal/guard';

/**
 * Commands that pass through on an encrypted bucket unchanged: they read or remove names and
 * listings (already in the clear), never object content or a clear-text surface phiseal must
 * guard. Everything else on an encrypted bucket is either encrypted (PutObject, GetObject,
 * DeleteObject, the multipart commands) or refused: an unknown command must not move plaintext or ciphertext around
 * behind the format's back (fail closed).
 */
export const PASS_THROUGH: ReadonlySet<string> = new Set([
  'HeadObjectCommand',
  'HeadBucketCommand',
  'ListObjectsCommand',
  'ListObjectsV2Command',
  'ListObjectVersionsCommand',
  'ListMultipartUploadsCommand',
  'ListPartsCommand',
  'GetBucketLocationCommand',
  'GetObjectTaggingCommand',
  'GetObjectAttributesCommand',
  'DeleteObjectTaggingCommand',
]);

// Why each command cannot be made safe, and what to do instead.
const REMEDIES: Readonly<Record<string, string>> = {
  CopyObjectCommand:
    'CopyObject copies ciphertext and its metadata as they are: across contexts or buckets the copy is unreadable or keeps the old context. Read it with GetObjectCommand and write it with PutObjectCommand.',
  UploadPartCopyCommand: 'UploadPartCopy splices ciphertext ranges into another object. Read with GetObjectCommand and write with PutObjectCommand or encryptedS3().upload.',
  SelectObjectContentCommand: 'S3 Select runs SQL over the stored bytes, which are ciphertext. Read the object with GetObjectCommand and filter in your code.',
  RestoreObjectCommand: 'RestoreObject with a select request runs SQL over ciphertext. Restore without a SelectParameters request, through a client without withEncryption.',
  WriteGetObjectResponseCommand: 'An Object Lambda response is object content sent in the clear. Encrypt it explicitly or do not route encrypted buckets through Object Lambda.',
  PutObjectAclCommand: 'ACLs are not inspected by phiseal on encrypted buckets; use a client without withEncryption for bucket administration.',
};

/** The refusal of a command on an encrypted bucket, with its remedy. */
export function refusedCommand(command: string): PhisealError {
  const remedy = REMEDIES[command] ?? 'phiseal cannot tell whether it moves object content or clear-text surfaces; use a client without withEncryption for it, or the explicit encryptedS3() API.';
  return new PhisealError('UNSUPPORTED_OPERATION', `${command.replace(/Command$/, '')} is refused on an encrypted bucket. ${remedy}`, {
    details: { command: command.replace(/Command$/, '') },
  });
}

/** A request field phiseal does not carry yet on an encrypted bucket: refused, never dropped. */
export function refusedField(command: string, field: string): PhisealError {
  return new PhisealError(
    'UNSUPPORTED_OPERATION',
    `${command.replace(/Command$/, '')} field ${field} is not supported on an encrypted bucket; it would be dropped or break the encryption, so the request is refused.`,
    { details: { command: command.replace(/Command$/, ''), field } },
  );
}
