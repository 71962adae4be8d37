import { DescribeKeyCommand, ListAliasesCommand, ListKeysCommand, ListResourceTagsCommand, type KMSClient, type ListAliasesCommandOutput, type ListKeysCommandOutput } from '@aws-sdk/client-kms';
import { safeLabel } from './mask.js';
import type { ScanTarget } from './scan-target.js';

/**
 * Up to `limit` aliases (AWS-managed `alias/aws/` ones skipped) and up to `limit` keys:
 * each key's tags and description. A key this caller may not read (an AWS-managed key) is
 * reported through `skipped` and the scan goes on.
 */
export async function* kmsTargets(client: KMSClient, limit: number, skipped: (what: string) => void): AsyncGenerator<ScanTarget> {
  let seen = 0;
  let marker: string | undefined;
  do {
    const page: ListAliasesCommandOutput = await client.send(new ListAliasesCommand({ Limit: Math.min(100, limit - seen), Marker: marker }));
    for (const alias of page.Aliases ?? []) {
      if (seen >= limit) break;
      seen += 1;
      const name = alias.AliasName;
      if (!name || name.startsWith('alias/aws/')) continue;
      yield { where: 'kms.alias', resource: 'kms', field: 'alias', value: name };
    }
    marker = page.Truncated ? page.NextMarker : undefined;
  } while (marker !== undefined && seen < limit);

  seen = 0;
  marker = undefined;
  do {
    const page: ListKeysCommandOutput = await client.send(new ListKeysCommand({ Limit: Math.min(100, limit - seen), Marker: marker }));
    for (const key of page.Keys ?? []) {
      if (seen >= limit || !key.KeyId) break;
      seen += 1;
      const resource = `kms:${key.KeyId}`;
      try {
        const description = (await client.send(new DescribeKeyCommand({ KeyId: key.KeyId }))).KeyMetadata?.Description;
        if (description) yield { where: 'kms.description', resource, field: 'description', value: description };
        const tags = await client.send(new ListResourceTagsCommand({ KeyId: key.KeyId }));
        for (const tag of tags.Tags ?? []) {
          if (tag.TagKey) yield { where: 'tag', resource, field: 'tag key', value: tag.TagKey };
          if (tag.TagValue) yield { where: 'tag', resource, field: `tag ${safeLabel(tag.TagKey ?? '', 'tag')}`, value: tag.TagValue };
        }
      } catch (error) {
        skipped(`${resource} (${error instanceof Error ? error.name : 'error'})`);
      }
    }
    marker = page.Truncated ? page.NextMarker : undefined;
  } while (marker !== undefined && seen < limit);
}
