import { execFileSync, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface, type Interface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';

// Drives test/java-peer (the Java DB-ESDK 3.9.0 item encryptor and DynamoDB interceptor) over
// its line protocol: one JVM per test file, one JSON request and reply per line.

const PEER_DIR = join(dirname(fileURLToPath(import.meta.url)), '../../../../test/java-peer');
const SOURCE = join(PEER_DIR, 'src/main/java/Peer.java');
const CLASS = join(PEER_DIR, 'target/classes/Peer.class');
const CLASSPATH = join(PEER_DIR, 'target/classpath.txt');

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
export type DdbItem = Record<string, AttributeValue>;

/** Builds the peer when its class is missing or older than its source (offline after the first download). */
export function buildJavaPeer(): void {
  if (existsSync(CLASS) && existsSync(CLASSPATH) && statSync(CLASS).mtimeMs >= statSync(SOURCE).mtimeMs) return;
  const offline = existsSync(CLASSPATH) ? ['-o'] : [];
  execFileSync('mvn', ['-q', '-B', ...offline, 'compile', 'dependency:build-classpath', '-Dmdep.outputFile=target/classpath.txt'], {
    cwd: PEER_DIR,
    stdio: 'inherit',
  });
}

/** Item to DynamoDB JSON (binaries as base64). */
export function toJson(v: AttributeValue): Json {
  if (v.B !== undefined) return { B: Buffer.from(v.B).toString('base64') };
  if (v.BS !== undefined) return { BS: v.BS.map((b) => Buffer.from(b).toString('base64')) };
  if (v.L !== undefined) return { L: v.L.map(toJson) };
  if (v.M !== undefined) return { M: itemToJson(v.M) };
  return v as unknown as Json;
}

export function itemToJson(item: DdbItem): { [k: string]: Json } {
  const out: { [k: string]: Json } = {};
  for (const [k, v] of Object.entries(item)) out[k] = toJson(v);
  return out;
}

/** DynamoDB JSON to item. */
export function fromJson(j: Record<string, Json>): AttributeValue {
  const [type, value] = Object.entries(j)[0]!;
  if (type === 'B') return { B: new Uint8Array(Buffer.from(value as string, 'base64')) };
  if (type === 'BS') return { BS: (value as string[]).map((b) => new Uint8Array(Buffer.from(b, 'base64'))) };
  if (type === 'L') return { L: (value as Record<string, Json>[]).map(fromJson) };
  if (type === 'M') return { M: itemFromJson(value as Record<string, Record<string, Json>>) };
  return { [type]: value } as unknown as AttributeValue;
}

export function itemFromJson(j: Record<string, Record<string, Json>>): DdbItem {
  const out: DdbItem = {};
  for (const [k, v] of Object.entries(j)) out[k] = fromJson(v);
  return out;
}

export type JavaPeer = {
  request(body: Record<string, unknown>): Promise<Record<string, unknown>>;
  /** Like request, but rejects with the peer's error text when it fails. */
  ok(body: Record<string, unknown>): Promise<Record<string, unknown>>;
  close(): Promise<void>;
};

/** Starts one JVM running the peer. */
export async function startJavaPeer(): Promise<JavaPeer> {
  buildJavaPeer();
  const cp = `${join(PEER_DIR, 'target/classes')}:${readFileSync(CLASSPATH, 'utf8').trim()}`;
  const child: ChildProcessWithoutNullStreams = spawn('java', ['-Xss4m', '-cp', cp, 'Peer'], { stdio: ['pipe', 'pipe', 'pipe'] });
  const lines: Interface = createInterface({ input: child.stdout });
  const waiting: ((line: string) => void)[] = [];
  const queued: string[] = [];
  lines.on('line', (line) => {
    const next = waiting.shift();
    if (next) next(line);
    else queued.push(line);
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  const nextLine = (): Promise<string> =>
    new Promise((resolve, reject) => {
      const q = queued.shift();
      if (q !== undefined) return resolve(q);
      const onExit = (): void => reject(new Error(`java peer exited: ${stderr}`));
      child.once('exit', onExit);
      waiting.push((line) => {
        child.off('exit', onExit);
        resolve(line);
      });
    });
  await nextLine(); // ready
  let chain: Promise<unknown> = Promise.resolve();
  const request = (body: Record<string, unknown>): Promise<Record<string, unknown>> => {
    const run = chain.then(async () => {
      child.stdin.write(`${JSON.stringify(body)}\n`);
      return JSON.parse(await nextLine()) as Record<string, unknown>;
    });
    chain = run.catch(() => undefined);
    return run;
  };
  return {
    request,
    async ok(body) {
      const reply = await request(body);
      if (reply['ok'] !== true) throw new Error(`java peer: ${String(reply['error'])}`);
      return reply;
    },
    close: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.stdin.end();
      }),
  };
}
