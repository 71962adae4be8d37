import { PhisealError } from '@phiseal/guard';
import type { EncryptionContext } from './key-provider.js';
import type { Envelope } from './envelope-types.js';
import { auditEvent } from './internal/envelope-support.js';

/**
 * The switch-over stage of a table, bucket or queue that already holds plaintext, with the
 * meaning of the AWS Database Encryption SDK's three plaintext overrides:
 *
 * - `'write-plaintext'` (FORCE_WRITE_PLAINTEXT_ALLOW_READ_PLAINTEXT): writes plaintext (names,
 *   keys, tags and metadata still guarded), reads plaintext and encrypted records.
 * - `'write-encrypted'` (FORBID_WRITE_PLAINTEXT_ALLOW_READ_PLAINTEXT): writes encrypted, reads both.
 * - `'encrypted-only'` (FORBID_WRITE_PLAINTEXT_FORBID_READ_PLAINTEXT, the default): writes
 *   encrypted; a plaintext record is refused with `PLAINTEXT_REFUSED`.
 * - `'read-both'`: an alias of `'write-encrypted'`, for consumers that only read (the name
 *   issue #18 uses for S3 and SQS consumers).
 *
 * A record with some but not all of its format's markers is tampered in every stage.
 *
 * @example
 * ```ts
 * const policy: PlaintextPolicy = 'write-encrypted';
 * ```
 */
export type PlaintextPolicy = 'write-plaintext' | 'write-encrypted' | 'encrypted-only' | 'read-both';

/** A {@link PlaintextPolicy} with the alias resolved. @example `const s: SwitchOverStage = 'encrypted-only';` */
export type SwitchOverStage = 'write-plaintext' | 'write-encrypted' | 'encrypted-only';

/**
 * What a stored record is, judged from its format markers alone (no key, no KMS call):
 * `'plaintext'` only when it carries none of them, `'encrypted'` when they are complete (it
 * may still fail to decrypt), `'tampered'` for anything in between.
 *
 * @example
 * ```ts
 * const state: RecordState = itemState(item); // from @phiseal/dynamodb
 * ```
 */
export type RecordState = 'plaintext' | 'encrypted' | 'tampered';

const STAGES: ReadonlySet<string> = new Set(['write-plaintext', 'write-encrypted', 'encrypted-only']);

/**
 * Validates a configured `plaintextPolicy` (undefined = the default, `'encrypted-only'`) and
 * resolves the `'read-both'` alias.
 *
 * @throws {@link PhisealError} `INVALID_CONFIGURATION` for any other value.
 * @example
 * ```ts
 * resolvePlaintextPolicy('read-both'); // 'write-encrypted'
 * ```
 */
export function resolvePlaintextPolicy(value: unknown): SwitchOverStage {
  if (value === undefined) return 'encrypted-only';
  if (value === 'read-both') return 'write-encrypted';
  if (typeof value === 'string' && STAGES.has(value)) return value as SwitchOverStage;
  throw new PhisealError(
    'INVALID_CONFIGURATION',
    "plaintextPolicy must be 'write-plaintext', 'write-encrypted', 'encrypted-only' (the default) or 'read-both' (= 'write-encrypted').",
  );
}

/**
 * Decides a read of a plaintext record: refused under `'encrypted-only'`, admitted otherwise.
 * Either way one audit event `<adapter>.plaintextRead` is emitted (every time, so an
 * operator sees which services still read plaintext): `context` identifies the resource by
 * digest only; the event carries the stage, never a value.
 *
 * @throws {@link PhisealError} `PLAINTEXT_REFUSED` under `'encrypted-only'` (details: `kind`).
 * @example
 * ```ts
 * admitPlaintext(envelope, { stage: 'write-encrypted', kind: 'dynamodb.item', operation: 'dynamodb.plaintextRead', context });
 * ```
 */
export function admitPlaintext(
  envelope: Envelope,
  read: { stage: SwitchOverStage; kind: string; operation: string; context: EncryptionContext },
): void {
  const refused =
    read.stage === 'encrypted-only'
      ? new PhisealError(
          'PLAINTEXT_REFUSED',
          `The stored record (${read.kind}) is not encrypted, and the plaintextPolicy is 'encrypted-only'. During a switch-over, readers use 'write-plaintext' or 'write-encrypted' until every record is migrated.`,
          { details: { kind: read.kind, plaintextPolicy: read.stage } },
        )
      : undefined;
  envelope.emitAudit({ ...auditEvent(read.operation, read.context, 'none', false, refused), plaintextPolicy: read.stage });
  if (refused) throw refused;
}
