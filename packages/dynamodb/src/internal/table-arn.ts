// DynamoDB accepts a table's ARN wherever it accepts its name (TableName, the keys of
// RequestItems, TransactItems), so a configured table must be recognised in both forms
// (issue #11, defect 1: an ARN used to bypass encryption).
//   arn:<partition>:dynamodb:<region>:<account>:table/<name>[/index/<index> | /stream/<label>]

/** The parts of a DynamoDB table ARN. */
export type TableArn = {
  readonly partition: string;
  readonly region: string;
  readonly account: string;
  readonly table: string;
  /** `index` or `stream` when the ARN names a table's index or stream. */
  readonly resource: 'index' | 'stream' | undefined;
};

const TABLE_ARN = /^arn:([a-z][a-z0-9-]{0,62}):dynamodb:([a-z0-9-]{1,64}):(\d{12}):table\/([A-Za-z0-9_.-]{1,255})(?:\/(index|stream)\/([^/]+))?$/;

/**
 * Parses a DynamoDB table (or index, or stream) ARN; `undefined` for anything else.
 * @throws never
 * @example
 * ```ts
 * parseTableArn('arn:aws:dynamodb:us-east-1:111122223333:table/patients'); // { table: 'patients', ... }
 * ```
 */
export function parseTableArn(value: string): TableArn | undefined {
  const m = TABLE_ARN.exec(value);
  if (!m) return undefined;
  return { partition: m[1]!, region: m[2]!, account: m[3]!, table: m[4]!, resource: m[5] as TableArn['resource'] };
}

/**
 * True for anything that could be an ARN or another spelling of a resource (so that a
 * string we cannot parse is refused, never passed through in the clear).
 * @throws never
 * @example
 * ```ts
 * looksLikeArn('ARN:aws:dynamodb:...'); // true
 * ```
 */
export const looksLikeArn = (value: string): boolean => /^\s*arn:/i.test(value) || /[:/]/.test(value);

const PARTITION_PREFIXES: readonly (readonly [string, string])[] = [
  ['cn-', 'aws-cn'],
  ['us-gov-', 'aws-us-gov'],
  ['us-isob-', 'aws-iso-b'],
  ['us-isof-', 'aws-iso-f'],
  ['us-iso-', 'aws-iso'],
  ['eu-isoe-', 'aws-iso-e'],
];

/**
 * The AWS partition of a region (`aws` unless a known prefix says otherwise).
 * @throws never
 * @example
 * ```ts
 * partitionOf('cn-north-1'); // 'aws-cn'
 * ```
 */
export function partitionOf(region: string): string {
  for (const [prefix, partition] of PARTITION_PREFIXES) if (region.startsWith(prefix)) return partition;
  return 'aws';
}
