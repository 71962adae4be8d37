import type { AttributeValue, BatchWriteItemInput, TransactGetItemsInput } from '@aws-sdk/client-dynamodb';
import { decryptResolved } from '../encrypt-item.js';
import { itemState } from '../item-state.js';
import { writesPlaintext } from './plaintext-policy.js';
import type { AttributeMap } from './attribute-codec.js';
import { audited } from './request-audit.js';
import type { TableMap } from './table-lookup.js';
import { HEADER_ATTRIBUTE } from './reserved.js';
import type { ResolvedTable } from './resolve-table.js';

// The response side of the integration, on DynamoDB wire-form outputs before the
// DocumentClient unmarshalls them: every item of a configured table is verified and
// decrypted; anything else is handed back as it came.

const op = (command: string): string => command.replace(/Command$/, '');

const tableOf = (input: object, tables: TableMap): ResolvedTable | undefined => tables.find((input as { TableName?: unknown }).TableName);

async function decryptAll(t: ResolvedTable, operation: string, items: AttributeMap[] | undefined): Promise<AttributeMap[] | undefined> {
  if (!items || items.length === 0) return items;
  return audited(t, operation, (note) => Promise.all(items.map((i) => decryptResolved(t, i, note))));
}

async function decryptAttributes(t: ResolvedTable, operation: string, attributes: AttributeMap | undefined): Promise<AttributeMap | undefined> {
  if (!attributes) return attributes;
  // UPDATED_OLD / UPDATED_NEW return only the (plain) attributes an update touched: nothing to verify.
  if (attributes[HEADER_ATTRIBUTE] === undefined && Object.keys(attributes).every((n) => t.actionOf(n) === 'plain')) return attributes;
  return audited(t, operation, (note) => decryptResolved(t, attributes, note));
}

// An unprocessed put is the caller's own item as this client sent it: under 'write-plaintext'
// it went out as plaintext and comes back as such (not a plaintext *read*: no audit event).
async function unprocessedItem(t: ResolvedTable, item: AttributeMap): Promise<AttributeMap> {
  return writesPlaintext(t) && itemState(item) === 'plaintext' ? item : decryptResolved(t, item);
}

/**
 * Verifies and decrypts the items of a response for configured tables; returns the output
 * to hand back. Unprocessed batch writes come back decrypted, so resending them through the
 * same client encrypts them again.
 * @throws PhisealError DECRYPTION_FAILED, MALFORMED_CIPHERTEXT and key-provider errors.
 * @example
 * ```ts
 * const output = await processOutput('GetItemCommand', args.input, result.output, tables);
 * ```
 */
export async function processOutput(
  command: string,
  input: object,
  outputObject: object,
  tables: TableMap,
): Promise<object> {
  const single = tableOf(input, tables);
  const output = outputObject as Record<string, unknown>;
  const o = op(command);
  switch (command) {
    case 'PutItemCommand':
    case 'DeleteItemCommand':
    case 'UpdateItemCommand':
      if (!single || !output['Attributes']) return output;
      return { ...output, Attributes: await decryptAttributes(single, o, output['Attributes'] as AttributeMap) };
    case 'GetItemCommand':
      if (!single || !output['Item']) return output;
      return { ...output, Item: await audited(single, o, (note) => decryptResolved(single, output['Item'] as AttributeMap, note)) };
    case 'QueryCommand':
    case 'ScanCommand':
      if (!single) return output;
      return { ...output, Items: await decryptAll(single, o, output['Items'] as AttributeMap[] | undefined) };
    case 'BatchGetItemCommand': {
      const responses = (output['Responses'] ?? {}) as Record<string, AttributeMap[]>;
      const out: Record<string, AttributeMap[]> = {};
      for (const [name, items] of Object.entries(responses)) {
        const t = tables.find(name);
        out[name] = t ? ((await decryptAll(t, o, items)) ?? []) : items;
      }
      return output['Responses'] ? { ...output, Responses: out } : output;
    }
    case 'BatchWriteItemCommand': {
      const unprocessed = output['UnprocessedItems'] as BatchWriteItemInput['RequestItems'];
      if (!unprocessed) return output;
      const out: NonNullable<BatchWriteItemInput['RequestItems']> = {};
      for (const [name, requests] of Object.entries(unprocessed)) {
        const t = tables.find(name);
        out[name] = !t
          ? requests
          : await Promise.all(
              requests.map(async (r) =>
                r.PutRequest?.Item ? { ...r, PutRequest: { ...r.PutRequest, Item: await unprocessedItem(t, r.PutRequest.Item) } } : r,
              ),
            );
      }
      return { ...output, UnprocessedItems: out };
    }
    case 'TransactGetItemsCommand': {
      const requests = (input as TransactGetItemsInput).TransactItems ?? [];
      const responses = output['Responses'] as { Item?: Record<string, AttributeValue> }[] | undefined;
      if (!responses) return output;
      const out = await Promise.all(
        responses.map(async (r, i) => {
          const name = requests[i]?.Get?.TableName;
          const t = tables.find(name);
          return t && r.Item ? { ...r, Item: await audited(t, o, (note) => decryptResolved(t, r.Item as AttributeMap, note)) } : r;
        }),
      );
      return { ...output, Responses: out };
    }
    default:
      return output;
  }
}
