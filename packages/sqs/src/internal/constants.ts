// Names and limits shared with the official SQS Extended Clients (Java
// amazon-sqs-java-extended-client-lib 2.x, Python amazon-sqs-extended-client 1.0.1) and
// payloadoffloading-common, so that either side reads what the other offloaded.

/** Pointer class written by the extended clients since payloadoffloading-common. */
export const POINTER_CLASS = 'software.amazon.payloadoffloading.PayloadS3Pointer';
/** Pointer class of the 1.x Java extended client; still read. */
export const LEGACY_POINTER_CLASS = 'com.amazon.sqs.javamessaging.MessageS3Pointer';

/** Number attribute holding the offloaded payload's size in bytes. */
export const SIZE_ATTRIBUTE = 'ExtendedPayloadSize';
/** Its name before payloadoffloading-common; read, and written when `legacyAttribute` is set. */
export const LEGACY_SIZE_ATTRIBUTE = 'SQSLargePayloadSize';
/**
 * phiseal's own attribute: the sealed (moved-inside) attributes of an offloaded message,
 * envelope-encrypted. Inline messages carry them inside the encrypted body instead.
 */
export const SEALED_ATTRIBUTE = 'PhisealSealedAttributes';
export const RESERVED_ATTRIBUTES: ReadonlySet<string> = new Set([SIZE_ATTRIBUTE, LEGACY_SIZE_ATTRIBUTE, SEALED_ATTRIBUTE]);

/** Receipt-handle markers of the extended clients (`-..s3BucketName..-bucket-..s3BucketName..-`). */
export const BUCKET_MARKER = '-..s3BucketName..-';
export const KEY_MARKER = '-..s3Key..-';

/** The extended clients' default threshold, and SQS's historical message size limit. */
export const DEFAULT_THRESHOLD = 262_144;
/** SQS's message (and batch) size limit since August 2025. */
export const MAX_MESSAGE_BYTES = 1_048_576;
/** Entries per SendMessageBatch / DeleteMessageBatch request. */
export const MAX_BATCH_ENTRIES = 10;
/** Message attributes per message (SQS limit). */
export const MAX_ATTRIBUTES = 10;

/** The compact envelope prefix (`@phiseal/core` string form). */
export const ENVELOPE_PREFIX = 'ps1.';
