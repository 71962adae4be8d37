// Writes esdk-inline-message.json: known-answer vectors for SQS inline bodies in the ESDK
// format (docs/format.md, "SQS inline bodies"). Run once with
// `pnpm exec tsx packages/sqs/test/vectors/generate-esdk-inline.ts` (fresh random messages
// each run); the vectors are committed and checked by src/esdk-inline-vectors.test.ts.
//  - "phiseal": a Lambda record as phiseal's encryptedQueue writes it (LocalKeyProvider
//    `sqs-kat`, a key of 32 bytes 0x11): the ESDK body, a visible attribute and the
//    `PhisealSealedAttributes` block.
//  - "sdk-js": a body written by @aws-crypto/client-node (raw AES keyring, namespace
//    phiseal-local, key name sqs-kat, same key), as a non-phiseal producer puts it on a queue.
import { CommitmentPolicy, RawAesKeyringNode, RawAesWrappingSuiteIdentifier, buildClient } from '@aws-crypto/client-node';
import { writeFileSync } from 'node:fs';
import { createEnvelope, LocalKeyProvider } from '@phiseal/core';
import { sealInline } from '../../src/internal/inline-body.js';

const KEY = Buffer.alloc(32, 0x11);
const envelope = createEnvelope({ keys: new LocalKeyProvider({ keyId: 'sqs-kat', key: KEY }) });
const context = { tenant: 'clinic-a' };
const sealed = { patient: { DataType: 'String', StringValue: 'Jane Q Doe' }, scan: { DataType: 'Binary', BinaryValue: new Uint8Array([0, 1, 255]) } };
const visible = { kind: { DataType: 'String', StringValue: 'lab' } };
const body = 'glucose 5.4 mmol/L';
const ours = await sealInline(envelope, 'esdk', { plaintext: Buffer.from(body), sealed, visible, context }, 262_144);
if (!ours) throw new Error('does not fit');
const block = ours.attributes['PhisealSealedAttributes']!.StringValue!;

const keyring = new RawAesKeyringNode({
  keyName: 'sqs-kat',
  keyNamespace: 'phiseal-local',
  unencryptedMasterKey: new Uint8Array(KEY),
  wrappingSuite: RawAesWrappingSuiteIdentifier.AES256_GCM_IV12_TAG16_NO_PADDING,
});
const peerBody = 'K+ 4.1 mmol/L, from a Node producer with the Encryption SDK';
const peer = await buildClient(CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT).encrypt(keyring, Buffer.from(peerBody), { encryptionContext: context });

const vectors = {
  format: 'SQS inline bodies in the AWS Encryption SDK format (bodyFormat esdk): LocalKeyProvider keyId sqs-kat, a key of 32 bytes 0x11 (raw AES keyring namespace phiseal-local)',
  keyId: 'sqs-kat',
  keyHex: KEY.toString('hex'),
  phiseal: {
    record: {
      messageId: 'kat-esdk-1',
      body: ours.body,
      messageAttributes: {
        kind: { dataType: 'String', stringValue: 'lab' },
        PhisealSealedAttributes: { dataType: 'String', stringValue: block },
      },
    },
    expected: {
      body,
      attributes: {
        kind: { DataType: 'String', StringValue: 'lab' },
        patient: { DataType: 'String', StringValue: 'Jane Q Doe' },
        scan: { DataType: 'Binary', BinaryValueHex: '0001ff' },
      },
      bodyContext: { ...context, 'phiseal:sealed-attributes': '2' },
      blockContext: { ...context, 'phiseal:part': 'sealed-attributes' },
    },
  },
  'sdk-js': {
    record: { messageId: 'kat-esdk-2', body: Buffer.from(peer.result).toString('base64'), messageAttributes: { kind: { dataType: 'String', stringValue: 'lab' } } },
    expected: { body: peerBody, context },
  },
};
writeFileSync(new URL('./esdk-inline-message.json', import.meta.url), `${JSON.stringify(vectors, null, 2)}\n`);
