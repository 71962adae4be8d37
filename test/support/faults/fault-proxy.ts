// A fault-injecting HTTP proxy between the real AWS SDK clients and the emulator. The clients
// point their `endpoint` at it; every request is classified (service, operation), matched
// against the rules, and either forwarded untouched or failed the way AWS or the network
// fails: an error answer, a cut connection before or after the service acted, latency, a
// truncated body, a partial batch.
import { Agent, createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { batchRewrite } from './batch-rewrite.js';
import { classify, type AwsCall } from './classify.js';
import { errorResponse, throttleResponse, type ErrorResponse } from './error-body.js';
import type { Fault } from './fault.js';
import { forward, replyHeaders } from './forward.js';
import { seededRandom } from './random.js';
import { ruleBook, type FaultRule } from './rule.js';

/** One request the proxy saw, and the fault it injected (if any). */
export type ProxiedCall = AwsCall & { fault: Fault['kind'] | undefined };

/** A running proxy. */
export type FaultProxy = {
  /** The endpoint to give the SDK clients. */
  readonly endpoint: string;
  /** Every request so far, in arrival order. */
  readonly calls: readonly ProxiedCall[];
  /** Adds a rule; rules are tried in the order added, the first that fires wins. */
  add(rule: FaultRule): void;
  /** Removes every rule (the calls log is kept). */
  clear(): void;
  /** How many requests matched `service` (and `operation`, when given). */
  count(service: AwsCall['service'], operation?: string): number;
  stop(): Promise<void>;
};

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, answer: ErrorResponse): void {
  res.writeHead(answer.status, { ...answer.headers, 'content-length': String(answer.body.length) });
  res.end(answer.body);
}

function cut(res: ServerResponse): void {
  res.socket?.destroy();
}

/**
 * Starts a proxy on a free loopback port in front of `target` (the emulator's endpoint).
 * Probabilistic rules draw from a generator seeded with `seed`.
 *
 * @example
 * ```ts
 * const proxy = await startFaultProxy({ target: awsClientConfig().endpoint, seed: 7 });
 * proxy.add({ service: 'kms', operation: 'GenerateDataKey', fault: { kind: 'throttle' }, times: 1 });
 * const kms = new KMSClient({ ...awsClientConfig(), endpoint: proxy.endpoint, maxAttempts: 2 });
 * ```
 */
export async function startFaultProxy(options: { target: string; seed?: number }): Promise<FaultProxy> {
  const target = new URL(options.target);
  const agent = new Agent({ keepAlive: true });
  const random = seededRandom(options.seed ?? 1);
  const rules = ruleBook();
  const calls: ProxiedCall[] = [];

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    const path = req.url ?? '/';
    const body = await readBody(req);
    const call = classify(method, path, req.headers);
    const fault = rules.pick(call, path + body.subarray(0, 4096).toString('latin1'), random);
    calls.push({ ...call, fault: fault?.kind });
    if (fault?.kind === 'reset-before') return cut(res);
    if (fault?.kind === 'status') return send(res, errorResponse(call.service, fault.status, fault.code, method));
    if (fault?.kind === 'throttle') return send(res, throttleResponse(call.service, method));
    if (fault?.kind === 'latency') await sleep(fault.ms);
    const batch = fault?.kind === 'unprocessed' || fault?.kind === 'partial-batch' ? batchRewrite(call, body, fault.count) : undefined;
    const outgoing = batch ? batch.forward : body;
    const answer =
      batch && outgoing === undefined
        ? { status: 200, headers: { 'content-type': 'application/x-amz-json-1.0' }, body: undefined }
        : await forward(target, agent, { method, path, headers: req.headers, body: outgoing });
    if (fault?.kind === 'reset-after') return cut(res);
    const replyBody = batch && answer.status === 200 ? batch.rewrite(answer.body) : (answer.body ?? Buffer.alloc(0));
    const headers = replyHeaders(answer.headers, replyBody, batch !== undefined);
    if (fault?.kind === 'truncate') {
      res.writeHead(answer.status, headers);
      res.write(replyBody.subarray(0, Math.min(fault.bytes, Math.max(0, replyBody.length - 1))));
      await sleep(fault.afterMs ?? 0);
      return cut(res);
    }
    res.writeHead(answer.status, headers);
    res.end(replyBody);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => cut(res));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    calls,
    add: (rule) => rules.add(rule),
    clear: () => rules.clear(),
    count: (service, operation) => calls.filter((c) => c.service === service && (operation === undefined || c.operation === operation)).length,
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      agent.destroy();
    },
  };
}
