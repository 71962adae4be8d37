import { PhisealError } from '@phiseal/guard';

/**
 * The parts of an AWS SDK v3 client that the transport rule reads and extends.
 *
 * @example
 * ```ts
 * import { SQSClient } from '@aws-sdk/client-sqs';
 * import { enforceSecureTransport, type AwsClientLike } from '@phiseal/core';
 * const client: AwsClientLike = new SQSClient({});
 * enforceSecureTransport(client, 'sqs');
 * ```
 */
export type AwsClientLike = {
  readonly initConfig?: unknown;
  readonly middlewareStack: {
    add: (middleware: never, options: { step: 'finalizeRequest'; name: string; override?: boolean }) => void;
  };
};

const MIDDLEWARE_NAME = 'phisealSecureTransport';

/**
 * True for loopback hosts, where plain http never leaves the machine: 127.0.0.0/8,
 * ::1 and localhost.
 * @throws never
 * @example
 * ```ts
 * isLoopbackHost('127.0.0.1'); // true
 * ```
 */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  // Only the exact name: "*.localhost" is loopback by RFC 6761 only if the resolver honours it.
  if (h === 'localhost' || h === '::1' || h === '0:0:0:0:0:0:0:1') return true;
  const parts = h.split('.');
  return parts.length === 4 && parts[0] === '127' && parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255);
}

function describeEndpoint(endpoint: unknown): { protocol: string; hostname: string } | undefined {
  if (typeof endpoint === 'string') {
    try {
      const url = new URL(endpoint);
      return { protocol: url.protocol, hostname: url.hostname };
    } catch {
      return undefined;
    }
  }
  if (endpoint instanceof URL) return { protocol: endpoint.protocol, hostname: endpoint.hostname };
  if (typeof endpoint === 'object' && endpoint !== null) {
    const e = endpoint as { protocol?: unknown; hostname?: unknown; url?: unknown };
    if (e.url instanceof URL) return { protocol: e.url.protocol, hostname: e.url.hostname };
    if (typeof e.protocol === 'string' && typeof e.hostname === 'string') {
      return { protocol: e.protocol.endsWith(':') ? e.protocol : `${e.protocol}:`, hostname: e.hostname };
    }
  }
  return undefined;
}

function refuse(service: string): PhisealError {
  // HIPAA requires PHI (and the keys that protect it) encrypted in transit; plain http is
  // only tolerated where it cannot leave the machine.
  return new PhisealError(
    'INSECURE_ENDPOINT',
    `Refusing a plain http:// ${service} endpoint that is not loopback; use https:// (plain http is allowed only for 127.0.0.1, ::1 and localhost).`,
    { details: { service } },
  );
}

function assertSecure(endpoint: unknown, service: string): void {
  const parsed = describeEndpoint(endpoint);
  if (parsed && parsed.protocol === 'http:' && !isLoopbackHost(parsed.hostname)) throw refuse(service);
}

/**
 * Resolves the client's configured endpoint (SDK v3 keeps it behind an async provider)
 * and refuses it if it is plain http and not loopback.
 *
 * @throws {@link PhisealError} `INSECURE_ENDPOINT` (as a rejected promise).
 * @example
 * ```ts
 * await verifyClientEndpoint(new SQSClient({ endpoint: 'http://10.0.0.5:9324' }), 'sqs'); // rejects
 * ```
 */
export async function verifyClientEndpoint(client: AwsClientLike, service: string): Promise<void> {
  const config = (client as { config?: { endpoint?: unknown } }).config;
  if (typeof config?.endpoint === 'function') {
    assertSecure(await (config.endpoint as () => Promise<unknown>)(), service);
  } else if (config?.endpoint !== undefined) {
    assertSecure(config.endpoint, service);
  }
}

/**
 * Applies phiseal's transport rule to an AWS SDK v3 client: plain `http://` endpoints are
 * refused unless the host is loopback. Checks the `AWS_ENDPOINT_URL*` environment
 * variables now, and adds a request middleware to the client so that every request is
 * checked before it is sent, whatever the endpoint resolves to. Pair it with
 * {@link verifyClientEndpoint} to refuse a configured endpoint before the first call.
 * Idempotent.
 *
 * @throws {@link PhisealError} `INSECURE_ENDPOINT` when the configured endpoint is insecure.
 * @example
 * ```ts
 * const s3 = new S3Client({});
 * enforceSecureTransport(s3, 's3');
 * ```
 */
export function enforceSecureTransport(client: AwsClientLike, service: string): void {
  const init = client.initConfig as { endpoint?: unknown } | undefined;
  if (init?.endpoint !== undefined && typeof init.endpoint !== 'function') assertSecure(init.endpoint, service);
  else if (init?.endpoint === undefined) {
    const envName = `AWS_ENDPOINT_URL_${service.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
    const fromEnv = process.env[envName] ?? process.env['AWS_ENDPOINT_URL'];
    if (fromEnv) assertSecure(fromEnv, service);
  }
  const middleware =
    (next: (args: { request: unknown }) => Promise<unknown>) =>
    (args: { request: unknown }): Promise<unknown> => {
      const request = args.request as { protocol?: unknown; hostname?: unknown } | undefined;
      if (request && typeof request.protocol === 'string' && typeof request.hostname === 'string') {
        assertSecure({ protocol: request.protocol, hostname: request.hostname }, service);
      }
      return next(args);
    };
  client.middlewareStack.add(middleware as never, { step: 'finalizeRequest', name: MIDDLEWARE_NAME, override: true });
}

/**
 * Both halves of the transport rule: {@link enforceSecureTransport} now, and a promise of
 * {@link verifyClientEndpoint} that callers await before their first request (it never
 * rejects unhandled).
 * @throws {@link PhisealError} `INSECURE_ENDPOINT` from the environment check, synchronously.
 * @example
 * ```ts
 * const ready = secureClient(s3, 's3');
 * await ready; // before the first request
 * ```
 */
export function secureClient(client: AwsClientLike, service: string): Promise<void> {
  enforceSecureTransport(client, service);
  const ready = verifyClientEndpoint(client, service);
  ready.catch(() => undefined);
  return ready;
}
