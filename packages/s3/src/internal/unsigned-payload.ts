type Handler = (args: { request: unknown }) => Promise<unknown>;
type Middleware = (next: Handler, context: { commandName?: string }) => Handler;
type ClientLike = { middlewareStack: { add: (middleware: never, options: { step: 'build'; name: string; override?: boolean }) => void } };

const COMMANDS = new Set(['PutObjectCommand', 'UploadPartCommand']);

/**
 * Marks PutObject and UploadPart payloads as unsigned when they travel over https. The
 * JavaScript SDK otherwise SHA-256-hashes every byte of a Buffer body for SigV4, which costs
 * more CPU than the AES-GCM encryption itself. Over TLS the payload hash adds no protection:
 * TLS guards the bytes in transit, the SDK's CRC32 checksum still detects corruption, and
 * the GCM tag authenticates the content end to end. The AWS SDK for Java v2 makes the same
 * choice for S3 over https. Plain-http (loopback) requests keep the signed payload.
 * Added once to the client (like the transport check): per-command middleware would make
 * the SDK rebuild its middleware list for every part. Idempotent.
 */
export function useUnsignedPayload(client: ClientLike): void {
  const middleware: Middleware = (next, context) => (args) => {
    const request = args.request as { protocol?: string; headers?: Record<string, string> } | undefined;
    if (COMMANDS.has(context.commandName ?? '') && request?.protocol === 'https:' && request.headers) {
      request.headers['x-amz-content-sha256'] = 'UNSIGNED-PAYLOAD';
    }
    return next(args);
  };
  client.middlewareStack.add(middleware as never, { step: 'build', name: 'phisealUnsignedPayload', override: true });
}
