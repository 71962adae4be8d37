import { GetQueueAttributesCommand, ListQueuesCommand, ListQueueTagsCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { safeLabel } from './mask.js';
import type { ScanTarget } from './scan-target.js';

/** The last path segment of a queue URL: the queue name. */
const queueName = (url: string): string => url.slice(url.lastIndexOf('/') + 1);

/**
 * Up to `limit` queues (optionally with a name prefix): each name, its tags and the
 * free-text attribute a caller sets (the KMS key alias). Queue URLs are not scanned whole:
 * they contain the account id and the host, which are not PHI but look like identifiers.
 */
export async function* sqsTargets(client: SQSClient, prefix: string | undefined, limit: number): AsyncGenerator<ScanTarget> {
  let seen = 0;
  let token: string | undefined;
  do {
    const page = await client.send(
      new ListQueuesCommand({ MaxResults: Math.min(1000, limit - seen), NextToken: token, QueueNamePrefix: prefix }),
    );
    for (const url of page.QueueUrls ?? []) {
      if (seen >= limit) break;
      seen += 1;
      const name = queueName(url);
      const resource = `sqs:${safeLabel(name, 'sqs.queue')}`;
      yield { where: 'sqs.queue', resource, field: 'queue name', value: name };
      const tags = await client.send(new ListQueueTagsCommand({ QueueUrl: url }));
      for (const [key, value] of Object.entries(tags.Tags ?? {})) {
        yield { where: 'tag', resource, field: 'tag key', value: key };
        yield { where: 'tag', resource, field: `tag ${safeLabel(key, 'tag')}`, value };
      }
      const attributes = await client.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['KmsMasterKeyId'] }));
      const kmsKey = attributes.Attributes?.['KmsMasterKeyId'];
      if (kmsKey?.startsWith('alias/')) yield { where: 'kms.alias', resource, field: 'attribute KmsMasterKeyId', value: kmsKey };
    }
    token = page.NextToken;
  } while (token !== undefined && seen < limit);
}
