import { PhisealError } from '@phiseal/guard';
import { invalidConfiguration } from './internal/failures.js';
import type { EncryptionContext, GeneratedDataKey, KeyProvider, UnwrappedDataKey, WrappedKey } from './key-provider.js';

/**
 * Wraps each data key under every provider it holds — for example a KMS key in a second
 * region for disaster recovery — and unwraps with the first provider that can.
 *
 * Encryption fails if any provider fails: a message that silently lacked its recovery
 * wrapping would defeat the purpose.
 *
 * @example
 * ```ts
 * const keys = new MultiKeyProvider([
 *   new KmsKeyProvider({ keyId: primaryArn, client: new KMSClient({ region: 'us-east-1' }) }),
 *   new KmsKeyProvider({ keyId: drArn, client: new KMSClient({ region: 'us-west-2' }) }),
 * ]);
 * ```
 */
export class MultiKeyProvider implements KeyProvider {
  readonly id: string;
  readonly providers: readonly KeyProvider[];

  /**
   * @throws {@link PhisealError} `INVALID_CONFIGURATION` for an empty list.
   * @example
   * ```ts
   * new MultiKeyProvider([primary, recovery]);
   * ```
   */
  constructor(providers: readonly KeyProvider[]) {
    const list: KeyProvider[] = Array.from(providers ?? []);
    if (list.length === 0) throw invalidConfiguration('MultiKeyProvider needs at least one provider');
    this.providers = list;
    this.id = `multi:[${this.providers.map((p) => p.id).join(',')}]`;
  }

  /** @throws {@link PhisealError} from any provider. */
  async generate(context: EncryptionContext): Promise<GeneratedDataKey> {
    const [primary, ...others] = this.providers as [KeyProvider, ...KeyProvider[]];
    const generated = await primary.generate(context);
    try {
      const more = await Promise.all(others.map((p) => p.wrap(generated.key, context)));
      const wrapped: WrappedKey[] = [...generated.wrapped];
      for (const list of more) wrapped.push(...list);
      return { key: generated.key, wrapped };
    } catch (error) {
      generated.key.fill(0);
      throw error;
    }
  }

  /** @throws {@link PhisealError} from any provider. */
  async wrap(key: Uint8Array, context: EncryptionContext): Promise<readonly WrappedKey[]> {
    const all = await Promise.all(this.providers.map((p) => p.wrap(key, context)));
    const wrapped: WrappedKey[] = [];
    for (const list of all) wrapped.push(...list);
    return wrapped;
  }

  /**
   * @throws {@link PhisealError} `KEY_NOT_ALLOWED` when no provider may unwrap; otherwise the first retryable failure, else the last one.
   */
  async unwrap(wrapped: readonly WrappedKey[], context: EncryptionContext): Promise<UnwrappedDataKey> {
    let failure: Error | undefined;
    for (const provider of this.providers) {
      try {
        return await provider.unwrap(wrapped, context);
      } catch (error) {
        // A retryable failure wins over a later definite one: the message may be fine.
        if (!(PhisealError.is(error) && error.code === 'KEY_NOT_ALLOWED') && !(PhisealError.is(failure) && failure.retryable)) {
          failure = error instanceof Error ? error : new Error(String(error));
        }
      }
    }
    throw failure ?? new PhisealError('KEY_NOT_ALLOWED', 'No provider may unwrap this data key.');
  }
}
