type Middleware = (next: (args: { request: unknown }) => Promise<unknown>) => (args: { request: unknown }) => Promise<unknown>;
type CommandLike = { middlewareStack: { add: (middleware: never, options: { step: 'build'; name: string }) => void } };

/**
 * Marks a command's payload as unsigned when it travels over https. The JavaScript SDK
 * otherwise SHA-256-hashes every byte of a Buffer body for SigV4, which costs more CPU than
 * the AES-GCM encryption itself. Over TLS the payload hash adds no protection: TLS guards
 * the bytes in transit, the SDK's CRC32 checksum still detects corruption, and the GCM tag
 * authenticates the content end to end. The AWS SDK for Java v2 makes the same choice for
 * S3 over https. Plain-http (loopback) requests keep the signed payload.
 */
export function withUnsignedPayload<C extends CommandLike>(command: C): C {
  const middleware: Middleware = (next) => (args) => {
    const request = args.request as { protocol?: string; headers?: Record<string, string> } | undefined;
    if (request?.protocol === 'https:' && request.headers) request.headers['x-amz-content-sha256'] = 'UNSIGNED-PAYLOAD';
    return next(args);
  };
  command.middlewareStack.add(middleware as never, { step: 'build', name: 'phisealUnsignedPayload' });
  return command;
}
