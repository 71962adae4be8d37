import {
  DescribeTableCommand,
  ListTagsOfResourceCommand,
  ScanCommand,
  type AttributeValue,
  type DynamoDBClient,
  type KeySchemaElement,
} from '@aws-sdk/client-dynamodb';
import { safeLabel } from './mask.js';
import type { ScanTarget } from './scan-target.js';

function keyText(value: AttributeValue | undefined): string | undefined {
  // Binary keys are opaque bytes, not names; only strings and numbers can spell PHI.
  return value?.S ?? value?.N;
}

/**
 * The table's name, key attribute names, index names and tags, then the key attribute
 * values (table and index keys, which DynamoDB stores in the clear) of up to `limit`
 * items from a scan that reads only those attributes.
 */
export async function* dynamoDbTargets(client: DynamoDBClient, table: string, limit: number): AsyncGenerator<ScanTarget> {
  const resource = `dynamodb:${safeLabel(table, 'dynamodb.table')}`;
  yield { where: 'dynamodb.table', resource, field: 'table name', value: table };
  const described = (await client.send(new DescribeTableCommand({ TableName: table }))).Table;
  const schemas: KeySchemaElement[][] = [described?.KeySchema ?? []];
  for (const index of [...(described?.GlobalSecondaryIndexes ?? []), ...(described?.LocalSecondaryIndexes ?? [])]) {
    if (index.IndexName) yield { where: 'dynamodb.index', resource, field: 'index name', value: index.IndexName };
    schemas.push(index.KeySchema ?? []);
  }
  const keyNames = [...new Set(schemas.flat().map((k) => k.AttributeName).filter((n): n is string => n !== undefined))];
  for (const name of keyNames) yield { where: 'dynamodb.attributeName', resource, field: 'key attribute name', value: name };
  if (described?.TableArn) {
    const tags = await client.send(new ListTagsOfResourceCommand({ ResourceArn: described.TableArn }));
    for (const tag of tags.Tags ?? []) {
      if (tag.Key) yield { where: 'tag', resource, field: 'tag key', value: tag.Key };
      if (tag.Value) yield { where: 'tag', resource, field: `tag ${safeLabel(tag.Key ?? '', 'tag')}`, value: tag.Value };
    }
  }
  const names = Object.fromEntries(keyNames.map((n, i) => [`#k${i}`, n]));
  let seen = 0;
  let startKey: Record<string, AttributeValue> | undefined;
  do {
    const page = await client.send(
      new ScanCommand({
        TableName: table,
        ProjectionExpression: Object.keys(names).join(', '),
        ExpressionAttributeNames: names,
        Limit: Math.min(1000, limit - seen),
        ExclusiveStartKey: startKey,
      }),
    );
    for (const item of page.Items ?? []) {
      if (seen >= limit) break;
      seen += 1;
      for (const name of keyNames) {
        const value = keyText(item[name]);
        if (value !== undefined) yield { where: 'dynamodb.key', resource, field: `key ${safeLabel(name, 'dynamodb.attributeName')}`, value };
      }
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey !== undefined && seen < limit);
}
