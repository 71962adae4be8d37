import { describe, expect, it } from 'vitest';
import { embedInReceiptHandle, formatPointer, parsePointer, parseReceiptHandle } from './payload-pointer.js';

describe('pointer body', () => {
  it('is byte for byte what the extended clients write', () => {
    // Python: json.dumps([MESSAGE_POINTER_CLASS, {"s3BucketName": b, "s3Key": k}]) uses ", " and ": ";
    // Java (Jackson) writes the compact form below. Both parse; phiseal writes the Java form.
    expect(formatPointer({ bucket: 'payloads', key: 'p/2f1c' })).toBe(
      '["software.amazon.payloadoffloading.PayloadS3Pointer",{"s3BucketName":"payloads","s3Key":"p/2f1c"}]',
    );
    expect(formatPointer({ bucket: 'b', key: 'k' }, true)).toBe('["com.amazon.sqs.javamessaging.MessageS3Pointer",{"s3BucketName":"b","s3Key":"k"}]');
  });

  it('parses both classes and the Python spacing', () => {
    expect(parsePointer('["software.amazon.payloadoffloading.PayloadS3Pointer", {"s3BucketName": "b", "s3Key": "k"}]')).toEqual({ bucket: 'b', key: 'k' });
    expect(parsePointer('["com.amazon.sqs.javamessaging.MessageS3Pointer",{"s3BucketName":"b","s3Key":"k"}]')).toEqual({ bucket: 'b', key: 'k' });
  });

  it.each(['', 'ps1.abc', '[]', '["other.Class",{"s3BucketName":"b","s3Key":"k"}]', '["software.amazon.payloadoffloading.PayloadS3Pointer",{"s3BucketName":"b"}]', '["software.amazon.payloadoffloading.PayloadS3Pointer",{"s3BucketName":"","s3Key":"k"}]'])(
    'refuses %j',
    (body) => expect(() => parsePointer(body)).toThrow(expect.objectContaining({ code: 'MALFORMED_CIPHERTEXT' }) as Error),
  );
});

describe('pointers that no extended client writes', () => {
  // A key (or bucket) holding a receipt-handle marker makes the handle receive() returns split
  // elsewhere: the message decrypts and is processed, but can never be deleted (its SQS handle
  // is cut wrong) and comes back after every visibility timeout.
  it.each([
    ['a key with the key marker', { s3BucketName: 'b', s3Key: 'a-..s3Key..-b' }],
    ['a key with the bucket marker', { s3BucketName: 'b', s3Key: 'a-..s3BucketName..-b' }],
    ['a bucket with a marker', { s3BucketName: 'b-..s3Key..-c', s3Key: 'k' }],
  ])('refuses %s', (_name, target) => {
    const body = JSON.stringify(['software.amazon.payloadoffloading.PayloadS3Pointer', target]);
    expect(() => parsePointer(body)).toThrow(expect.objectContaining({ code: 'MALFORMED_CIPHERTEXT' }) as Error);
  });
});

describe('receipt handles', () => {
  it('embeds like the extended clients and splits back, even with dashes in the SQS handle', () => {
    const handle = embedInReceiptHandle({ bucket: 'bkt', key: 'pre/uuid' }, 'AQEB-x+y/z==');
    expect(handle).toBe('-..s3BucketName..-bkt-..s3BucketName..--..s3Key..-pre/uuid-..s3Key..-AQEB-x+y/z==');
    expect(parseReceiptHandle(handle)).toEqual({ receiptHandle: 'AQEB-x+y/z==', payload: { bucket: 'bkt', key: 'pre/uuid' } });
  });

  it('leaves plain handles alone', () => {
    expect(parseReceiptHandle('AQEBabc')).toEqual({ receiptHandle: 'AQEBabc' });
    expect(parseReceiptHandle('-..s3BucketName..-only')).toEqual({ receiptHandle: '-..s3BucketName..-only' });
  });
});
