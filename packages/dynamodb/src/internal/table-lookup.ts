import { PhisealError } from '@phiseal/core';
import type { ResolvedTable } from './resolve-table.js';
import { looksLikeArn, parseTableArn, partitionOf, type TableArn } from './table-arn.js';

// Finds the configured table a request names, by name or by ARN, failing closed: a
// reference that names a configured table but cannot be pinned to the same table (another
// region, account or partition, an index or stream ARN, an unparsable ARN) is refused
// before anything is sent. Never "not ours, pass it through" for such a reference.

/** Where the client sends requests: needed to tell our table from a same-named one elsewhere. */
export type ClientScope = {
  /** The client's configured region (the SDK's region provider). */
  readonly region?: (() => Promise<string | undefined>) | undefined;
  /** The account the tables are in, when the configuration does not pin it with an ARN key. */
  readonly accountId?: string | undefined;
};

/** Configured tables, looked up by any name DynamoDB accepts for them. */
export type TableMap = {
  /**
   * The configured table `reference` names, or `undefined` when it names none.
   * @throws PhisealError UNSUPPORTED_OPERATION for an ARN of a configured table that is not this client's.
   */
  find(reference: unknown): ResolvedTable | undefined;
  /** Every configured table. */
  all(): Iterable<ResolvedTable>;
  /** Resolves the client's region; call (and await) before {@link TableMap.find}. */
  ready(): Promise<void>;
};

type Entry = { readonly table: ResolvedTable; readonly pin: TableArn | undefined };

function refused(mismatch: string): PhisealError {
  return new PhisealError(
    'UNSUPPORTED_OPERATION',
    'The request names a configured encrypted table by an ARN that does not match this client and configuration ' +
      `(${mismatch}). Use the table name, or an ARN of the configured table in the client's region and account ` +
      '(key the tables option by ARN or pass accountId to withEncryption).',
    { details: { reason: 'table-arn-mismatch', mismatch } },
  );
}

/**
 * Builds the lookup. `entries` are (configuration key, table): the key is the table name or
 * its table ARN (which pins partition, region and account).
 * @throws never (keys are validated by the caller).
 * @example
 * ```ts
 * const tables = tableLookup([['patients', resolved]], { region: client.config.region });
 * ```
 */
export function tableLookup(entries: Iterable<readonly [string, ResolvedTable]>, scope: ClientScope = {}): TableMap {
  const byName = new Map<string, Entry>();
  for (const [key, table] of entries) byName.set(table.tableName, { table, pin: parseTableArn(key) });
  let region: string | undefined;
  let resolving: Promise<void> | undefined;

  const checkArn = (arn: TableArn, entry: Entry): ResolvedTable => {
    if (arn.resource !== undefined) throw refused(`${arn.resource} ARN`);
    const pin = entry.pin;
    if (pin && (pin.partition !== arn.partition || pin.region !== arn.region || pin.account !== arn.account)) {
      throw refused('not the configured table ARN');
    }
    if (region === undefined) throw refused('client region unknown');
    if (arn.region !== region) throw refused('region');
    if (arn.partition !== partitionOf(region)) throw refused('partition');
    const account = pin?.account ?? scope.accountId;
    if (account === undefined) throw refused('account unknown');
    if (arn.account !== account) throw refused('account');
    return entry.table;
  };

  return {
    find(reference) {
      if (typeof reference !== 'string') return undefined;
      const named = byName.get(reference);
      if (named) return named.table;
      if (!looksLikeArn(reference)) return undefined;
      const arn = parseTableArn(reference);
      if (arn) {
        const entry = byName.get(arn.table);
        return entry ? checkArn(arn, entry) : undefined;
      }
      // Not a well-formed table ARN: if it mentions a configured table at all, refuse.
      const lower = reference.toLowerCase();
      for (const name of byName.keys()) {
        if (lower.includes(`table/${name.toLowerCase()}`) || lower.endsWith(`/${name.toLowerCase()}`)) throw refused('unparsable ARN');
      }
      return undefined;
    },
    all: () => [...byName.values()].map((e) => e.table),
    ready() {
      if (region !== undefined || !scope.region) return Promise.resolve();
      resolving ??= scope
        .region()
        .then((r) => {
          region = typeof r === 'string' && r.length > 0 ? r : undefined;
        })
        .catch(() => {
          // Unknown region: every ARN naming a configured table is refused (fail closed).
        })
        .finally(() => {
          resolving = undefined;
        });
      return resolving;
    },
  };
}

/**
 * The client's region provider, whatever shape its config has (string or provider function).
 * @throws never
 * @example
 * ```ts
 * const scope = { region: regionProvider(client) };
 * ```
 */
export function regionProvider(client: unknown): (() => Promise<string | undefined>) | undefined {
  const region = (client as { config?: { region?: unknown } } | undefined)?.config?.region;
  if (typeof region === 'string') return () => Promise.resolve(region);
  if (typeof region === 'function') return async () => {
    const value: unknown = await (region as () => unknown)();
    return typeof value === 'string' ? value : undefined;
  };
  return undefined;
}
