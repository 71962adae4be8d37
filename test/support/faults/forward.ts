// Sends a request on to the service and collects its whole answer.
import type { Agent} from 'node:http';
import { request, type IncomingHttpHeaders } from 'node:http';

/** A complete answer of the service. */
export type Answer = { status: number; headers: IncomingHttpHeaders; body: Buffer };

/** What to forward. */
export type Outgoing = { method: string; path: string; headers: IncomingHttpHeaders; body: Buffer | undefined };

// Hop-by-hop and length headers are recomputed: the body may have been rewritten.
const DROPPED = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length']);

/** Forwards `outgoing` to `target` (http://host:port) and resolves to the whole answer. */
export function forward(target: URL, agent: Agent, outgoing: Outgoing): Promise<Answer> {
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(outgoing.headers)) if (value !== undefined && !DROPPED.has(name)) headers[name] = value;
  const body = outgoing.body ?? Buffer.alloc(0);
  headers['content-length'] = String(body.length);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: target.hostname, port: target.port, method: outgoing.method, path: outgoing.path, headers, agent },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => resolve({ status: res.statusCode ?? 502, headers: res.headers, body: Buffer.concat(chunks) }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** The headers to send back for `body` (length recomputed, hop-by-hop dropped). */
export function replyHeaders(headers: IncomingHttpHeaders, body: Buffer, rewritten: boolean): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || DROPPED.has(name)) continue;
    // A rewritten DynamoDB answer no longer matches the service's CRC32.
    if (rewritten && name === 'x-amz-crc32') continue;
    out[name] = value;
  }
  out['content-length'] = String(body.length);
  return out;
}
