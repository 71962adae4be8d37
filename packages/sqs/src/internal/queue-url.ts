import { isLoopbackHost, PhisealError, type Guard } from '@phiseal/core';
import { invalidConfiguration } from './errors.js';

/** What the queue URL says about the queue. */
export type QueueFacts = { queueUrl: string; queueName: string; fifo: boolean };

/**
 * Parses and checks a queue URL. The SDK sends requests to the queue URL's host, so its
 * scheme obeys the transport rule too; the queue name is logged by CloudTrail and shown
 * in consoles, so it goes through the guard (the account id and host are not names).
 * @throws PhisealError `INVALID_CONFIGURATION`, `INSECURE_ENDPOINT`, `PHI_DETECTED`.
 */
export function checkQueueUrl(guard: Guard, queueUrl: unknown): QueueFacts {
  if (typeof queueUrl !== 'string' || queueUrl.length === 0) throw invalidConfiguration('queueUrl must be a non-empty string.');
  let url: URL;
  try {
    url = new URL(queueUrl);
  } catch {
    throw invalidConfiguration('queueUrl must be an absolute URL (https://sqs.<region>.amazonaws.com/<account>/<name>).');
  }
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    throw new PhisealError('INSECURE_ENDPOINT', 'Refusing a plain http:// queue URL that is not loopback; use https://.', {
      details: { service: 'sqs' },
    });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw invalidConfiguration('queueUrl must be an http(s) URL.');
  const segments = url.pathname.split('/').filter((s) => s.length > 0);
  const queueName = segments[segments.length - 1];
  if (queueName === undefined || queueName.length > 80 || !/^[A-Za-z0-9_-]+(\.fifo)?$/.test(queueName)) {
    throw invalidConfiguration('queueUrl must end with a valid queue name.');
  }
  guard.check(queueName, 'sqs.queue');
  return { queueUrl, queueName, fifo: queueName.endsWith('.fifo') };
}
