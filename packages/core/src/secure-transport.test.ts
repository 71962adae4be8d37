import { KMSClient } from '@aws-sdk/client-kms';
import { afterEach, describe, expect, it } from 'vitest';
import { KmsKeyProvider } from './kms-key-provider.js';
import { enforceSecureTransport, isLoopbackHost, verifyClientEndpoint } from './secure-transport.js';

describe('transport rule', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  it('knows loopback hosts', () => {
    for (const host of ['127.0.0.1', '127.8.9.10', 'localhost', '::1', '[::1]']) {
      expect(isLoopbackHost(host), host).toBe(true);
    }
    for (const host of ['10.0.0.1', '128.0.0.1', 'kms.us-east-1.amazonaws.com', '127.0.0.1.nip.io', '127.0.0.256', 'api.localhost']) {
      expect(isLoopbackHost(host), host).toBe(false);
    }
  });

  it('refuses a KMS provider whose client has a plain http, non-loopback endpoint, before any request', async () => {
    const client = new KMSClient({ endpoint: 'http://kms.example.com', region: 'us-east-1' });
    let requests = 0;
    client.middlewareStack.add((next) => (args) => (requests++, next(args)), { step: 'initialize', name: 'count' });
    const provider = new KmsKeyProvider({ keyId: 'k', client });
    await expect(provider.generate({})).rejects.toMatchObject({ code: 'INSECURE_ENDPOINT' });
    await expect(provider.unwrap([{ provider: 'aws-kms', keyId: 'k', ciphertext: new Uint8Array(1) }], {})).rejects.toMatchObject({
      code: 'INSECURE_ENDPOINT',
    });
    expect(requests).toBe(0);
  });

  it('accepts https and loopback http endpoints', async () => {
    for (const endpoint of ['https://kms.example.com', 'http://127.0.0.1:4566', 'http://localhost:1']) {
      await expect(verifyClientEndpoint(new KMSClient({ endpoint, region: 'us-east-1' }), 'kms')).resolves.toBeUndefined();
    }
    await expect(verifyClientEndpoint(new KMSClient({ endpoint: 'http://192.168.1.4', region: 'us-east-1' }), 'kms')).rejects.toMatchObject({
      code: 'INSECURE_ENDPOINT',
    });
  });

  it('reads AWS_ENDPOINT_URL_<SERVICE> and AWS_ENDPOINT_URL when no endpoint is configured', () => {
    delete process.env['AWS_ENDPOINT_URL'];
    process.env['AWS_ENDPOINT_URL_KMS'] = 'http://10.1.2.3:8080';
    expect(() => new KmsKeyProvider({ keyId: 'k', client: new KMSClient({ region: 'us-east-1' }) })).toThrow(
      expect.objectContaining({ code: 'INSECURE_ENDPOINT' }),
    );
  });

  it('checks every request too, before it is sent', async () => {
    delete process.env['AWS_ENDPOINT_URL'];
    delete process.env['AWS_ENDPOINT_URL_KMS'];
    const client = new KMSClient({ region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
    enforceSecureTransport(client, 'kms');
    // Point the resolved endpoint at plain http after construction: the middleware still refuses it.
    client.middlewareStack.add(
      (next) => (args) => {
        const request = args.request as { protocol: string; hostname: string };
        request.protocol = 'http:';
        request.hostname = 'kms.example.com';
        return next(args);
      },
      { step: 'build', name: 'downgrade-for-test' },
    );
    const provider = new KmsKeyProvider({ keyId: 'k', client });
    await expect(provider.generate({})).rejects.toMatchObject({ code: 'INSECURE_ENDPOINT' });
  });
});
