import { describe, expect, it } from 'vitest';
import { parseQueueReference, queueMatcher } from './queue-reference.js';

const ARN = 'arn:aws:sqs:us-east-1:111122223333:lab-results';

function code(run: () => unknown): string | undefined {
  try {
    run();
    return undefined;
  } catch (error) {
    return (error as { code?: string }).code;
  }
}

describe('parseQueueReference', () => {
  const same = { name: 'lab-results', account: '111122223333', region: 'us-east-1', fifo: false };
  it.each([
    ['the regional endpoint', 'https://sqs.us-east-1.amazonaws.com/111122223333/lab-results'],
    ['the legacy regional host', 'https://us-east-1.queue.amazonaws.com/111122223333/lab-results'],
    ['the legacy global host', 'https://queue.amazonaws.com/111122223333/lab-results'],
    ['FIPS', 'https://sqs-fips.us-east-1.amazonaws.com/111122223333/lab-results'],
    ['a VPC endpoint', 'https://vpce-0a1b2c3d4e5f-abcdefgh.sqs.us-east-1.vpce.amazonaws.com/111122223333/lab-results'],
    ['the ARN', ARN],
  ])('%s', (_, value) => expect(parseQueueReference(value)).toEqual(same));

  it('an emulator URL has no region', () => {
    expect(parseQueueReference('http://localhost:4566/000000000000/q.fifo')).toEqual({ name: 'q.fifo', account: '000000000000', region: undefined, fifo: true });
  });

  it('refuses anything else', () => {
    for (const bad of [
      'lab-results',
      'https://sqs.us-east-1.amazonaws.com/111122223333/lab-results/',
      'https://sqs.us-east-1.amazonaws.com/111122223333/lab-results?x=1',
      'https://sqs.us-east-1.amazonaws.com/lab-results',
      'https://sqs.us-east-1.amazonaws.com/1111/lab-results',
      'ftp://sqs.us-east-1.amazonaws.com/111122223333/lab-results',
      'arn:aws:sqs:us-east-1:111122223333:lab results',
    ]) {
      expect(code(() => parseQueueReference(bad)), bad).toBe('UNSUPPORTED_OPERATION');
    }
  });
});

describe('queueMatcher', () => {
  const queues = queueMatcher([ARN, 'http://localhost:4566/000000000000/local']);

  it('finds a queue configured by ARN from every URL form, and one configured by URL from its ARN', () => {
    for (const url of [
      'https://sqs.us-east-1.amazonaws.com/111122223333/lab-results',
      'https://us-east-1.queue.amazonaws.com/111122223333/lab-results',
      'https://queue.amazonaws.com/111122223333/lab-results',
      ARN,
    ]) {
      expect(queues.find(url), url).toBe(ARN);
    }
    expect(queues.find('arn:aws:sqs:eu-west-1:000000000000:local')).toBe('http://localhost:4566/000000000000/local');
  });

  it('an unconfigured queue is not configured', () => {
    expect(queues.find('https://sqs.us-east-1.amazonaws.com/111122223333/other')).toBeUndefined();
    expect(queues.find('not a queue at all')).toBeUndefined();
  });

  it('fails closed: the configured name in another account or region, or an unparsable spelling of it, is refused', () => {
    for (const reference of [
      'https://sqs.eu-west-1.amazonaws.com/111122223333/lab-results',
      'https://sqs.us-east-1.amazonaws.com/444455556666/lab-results',
      'arn:aws:sqs:us-east-1:444455556666:lab-results',
      'https://sqs.us-east-1.amazonaws.com/111122223333/lab-results/',
      'https://sqs.us-east-1.amazonaws.com/111122223333/lab-results?Action=SendMessage',
      // Second outside review: a percent-encoded spelling of the name was "not configured".
      'https://sqs.us-east-1.amazonaws.com/111122223333/lab%2Dresults',
      'https://sqs.us-east-1.amazonaws.com/111122223333/%6Cab-results',
      'https://sqs.us-east-1.amazonaws.com/111122223333/%6Cab-results%ZZ',
    ]) {
      expect(code(() => queues.find(reference)), reference).toBe('UNSUPPORTED_OPERATION');
    }
  });

  it('refuses a configuration key that names no queue', () => {
    expect(code(() => queueMatcher(['lab-results']))).toBe('INVALID_CONFIGURATION');
  });
});
