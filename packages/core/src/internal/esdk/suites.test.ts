// phiseal keeps its own ten-line suite table (suites.ts) instead of a runtime dependency on
// @aws-crypto/material-management; this test holds it to the SDK's table
// (@aws-crypto/client-node 5.0.2, NodeAlgorithmSuite): the same ids, and for each the same
// message format version, key length, KDF and hash, commitment and signature curve.
import { AlgorithmSuiteIdentifier, NodeAlgorithmSuite } from '@aws-crypto/client-node';
import { describe, expect, it } from 'vitest';
import { IV_LENGTH, TAG_LENGTH, suiteById } from './suites.js';

const CURVES: Record<string, string> = { secp384r1: 'P-384', prime256v1: 'P-256' };
const sdkIds = Object.values(AlgorithmSuiteIdentifier).filter((v): v is number => typeof v === 'number');

describe("phiseal's ESDK suite table", () => {
  it('knows exactly the suites of the JavaScript Encryption SDK', () => {
    expect(sdkIds.length).toBe(11);
    const ours: number[] = [];
    for (let id = 0; id <= 0xffff; id++) if (suiteById(id)) ours.push(id);
    expect(ours).toEqual([...sdkIds].sort((a, b) => a - b));
  });

  it.each(sdkIds.map((id) => [`0x${id.toString(16).padStart(4, '0')}`, id]))('%s matches the SDK', (_hex, id) => {
    const sdk = new NodeAlgorithmSuite(id);
    const ours = suiteById(id)!;
    expect(ours.version).toBe(sdk.messageFormat);
    expect(ours.keyLength * 8).toBe(sdk.keyLength);
    expect(IV_LENGTH).toBe(sdk.ivLength);
    expect(TAG_LENGTH * 8).toBe(sdk.tagLength);
    expect(ours.kdf).toBe(sdk.kdf === 'HKDF' ? sdk.kdfHash : 'identity');
    expect(ours.committing).toBe(sdk.commitment === 'KEY');
    expect(ours.suiteDataLength).toBe(sdk.suiteDataLength ?? 0);
    expect(ours.signing?.curve).toBe(sdk.signatureCurve === undefined ? undefined : CURVES[sdk.signatureCurve]);
    expect(ours.signing?.hash).toBe(sdk.signatureHash);
  });
});
