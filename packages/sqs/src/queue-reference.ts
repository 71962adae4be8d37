// SQS names a queue by URL in every API call, in several URL spellings (the regional
// endpoint, the legacy `<region>.queue.amazonaws.com` and `queue.amazonaws.com` hosts, FIPS,
// VPC endpoints, emulators on localhost), and by ARN in IAM, Lambda event sources and
// EventBridge pipes. A per-queue configuration keyed by one string must recognise every
// form and fail closed (issue 11): a reference that names a configured queue but cannot be
// pinned to it (another account or region, an unparsable URL) is refused, never treated
// as "not configured".
import { PhisealError } from '@phiseal/core';

/**
 * What a queue URL or ARN names. `region`/`account` are `undefined` when the form does not say.
 *
 * @example
 * ```ts
 * import { parseQueueReference, type QueueReference } from '@phiseal/sqs';
 * const reference: QueueReference = parseQueueReference('https://sqs.us-east-1.amazonaws.com/111122223333/lab.fifo');
 * // { name: 'lab.fifo', account: '111122223333', region: 'us-east-1', fifo: true }
 * ```
 */
export type QueueReference = {
  readonly name: string;
  readonly account: string | undefined;
  readonly region: string | undefined;
  readonly fifo: boolean;
};

const NAME = /^[A-Za-z0-9_-]{1,80}$|^[A-Za-z0-9_-]{1,75}\.fifo$/;
const ACCOUNT = /^\d{12}$/;
const ARN = /^arn:[a-z][a-z0-9-]{0,62}:sqs:([a-z0-9-]{1,64}):(\d{12}):([^:/]+)$/;
// Hosts whose name says the region (https://docs.aws.amazon.com/general/latest/gr/sqs-service.html).
const REGIONAL_HOSTS: readonly RegExp[] = [
  /^sqs(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?$/,
  /^sqs\.([a-z0-9-]+)\.api\.aws$/,
  /^([a-z0-9-]+)\.queue\.amazonaws\.com(?:\.cn)?$/,
  /^vpce-[a-z0-9-]+\.sqs\.([a-z0-9-]+)\.vpce\.amazonaws\.com$/,
];

function unresolvable(form: string): PhisealError {
  return new PhisealError('UNSUPPORTED_OPERATION', 'The queue is named in a form phiseal cannot resolve against its configuration.', {
    details: { reason: 'queue-reference-unresolved', form },
  });
}

function reference(name: string | undefined, account: string | undefined, region: string | undefined): QueueReference | undefined {
  if (name === undefined || !NAME.test(name)) return undefined;
  if (account !== undefined && !ACCOUNT.test(account)) return undefined;
  return { name, account, region, fifo: name.endsWith('.fifo') };
}

function regionOfHost(host: string): string | undefined {
  if (host === 'queue.amazonaws.com') return 'us-east-1';
  for (const pattern of REGIONAL_HOSTS) {
    const m = pattern.exec(host);
    if (m) return m[1];
  }
  return undefined;
}

/**
 * Parses a queue URL (`https://sqs.<region>.amazonaws.com/<account>/<name>` and the other
 * AWS and emulator spellings) or ARN (`arn:<partition>:sqs:<region>:<account>:<name>`).
 * @example
 * ```ts
 * parseQueueReference('https://us-east-1.queue.amazonaws.com/111122223333/lab'); // { name: 'lab', account: '111122223333', region: 'us-east-1', fifo: false }
 * ```
 * @throws {@link PhisealError} `UNSUPPORTED_OPERATION` for anything else (query strings, extra path segments, bad names).
 */
export function parseQueueReference(value: string): QueueReference {
  const arn = ARN.exec(value);
  if (arn) {
    const parsed = reference(arn[3], arn[2], arn[1]);
    if (parsed) return parsed;
    throw unresolvable('arn');
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw unresolvable('not a URL or ARN');
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '') {
    throw unresolvable('url');
  }
  const segments = url.pathname.split('/').slice(1);
  const parsed = segments.length === 2 ? reference(segments[1], segments[0], regionOfHost(url.hostname)) : undefined;
  if (!parsed || parsed.account === undefined) throw unresolvable('url');
  return parsed;
}

/**
 * Looks configured queues up by any URL or ARN that names them.
 *
 * @example
 * ```ts
 * import { queueMatcher, type QueueMatcher } from '@phiseal/sqs';
 * const queues: QueueMatcher = queueMatcher(['https://sqs.us-east-1.amazonaws.com/111122223333/lab']);
 * queues.find('arn:aws:sqs:us-east-1:111122223333:lab');                   // the configured URL
 * queues.find('https://sqs.us-east-1.amazonaws.com/111122223333/billing'); // undefined
 * ```
 */
export type QueueMatcher = {
  /**
   * The configuration key `reference` names, or `undefined` when it names no configured queue.
   * @throws {@link PhisealError} `UNSUPPORTED_OPERATION` when it names a configured queue's name
   * but another account or region, or is unparsable while mentioning a configured name.
   */
  find(reference: unknown): string | undefined;
};

// Queue names are ASCII: every ASCII escape decoded, whatever else the string holds (a stray
// malformed escape must not keep the rest encoded).
const asciiDecoded = (value: string): string => value.replace(/%([0-7][0-9A-Fa-f])/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));

function compatible(a: string | undefined, b: string | undefined): boolean {
  return a === undefined || b === undefined || a === b;
}

/**
 * Builds a matcher over configuration keys (queue URLs or ARNs, any spelling).
 * @example
 * ```ts
 * const queues = queueMatcher(['arn:aws:sqs:us-east-1:111122223333:lab']);
 * queues.find('https://sqs.us-east-1.amazonaws.com/111122223333/lab'); // 'arn:aws:sqs:us-east-1:111122223333:lab'
 * queues.find('https://sqs.eu-west-1.amazonaws.com/111122223333/lab'); // throws UNSUPPORTED_OPERATION
 * ```
 * @throws {@link PhisealError} `INVALID_CONFIGURATION` for a key that is no queue URL or ARN.
 */
export function queueMatcher(keys: Iterable<string>): QueueMatcher {
  const byName = new Map<string, Array<{ key: string; ref: QueueReference }>>();
  for (const key of keys) {
    let ref: QueueReference;
    try {
      ref = parseQueueReference(key);
    } catch {
      throw new PhisealError('INVALID_CONFIGURATION', 'A configured queue is neither a queue URL nor a queue ARN.');
    }
    byName.set(ref.name, [...(byName.get(ref.name) ?? []), { key, ref }]);
  }
  return {
    find(value) {
      if (typeof value !== 'string' || byName.size === 0) return undefined;
      let ref: QueueReference;
      try {
        ref = parseQueueReference(value);
      } catch (error) {
        // Unparsable: refuse only if it could name a configured queue, in any percent-encoding.
        const decoded = asciiDecoded(value);
        for (const name of byName.keys()) if (value.includes(name) || decoded.includes(name)) throw error;
        return undefined;
      }
      const candidates = byName.get(ref.name);
      if (candidates === undefined) return undefined;
      const hits = candidates.filter((c) => compatible(c.ref.account, ref.account) && compatible(c.ref.region, ref.region));
      if (hits.length === 1) return hits[0]!.key;
      // Same name, but another account or region (or ambiguous between entries): never guess.
      throw unresolvable(hits.length === 0 ? 'account or region differs' : 'ambiguous');
    },
  };
}
