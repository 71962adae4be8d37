/**
 * Maps `items` through `work` with at most `limit` calls in flight, keeping the order of
 * the results. `work` must not throw (the handlers turn every failure into an outcome).
 * @throws whatever `work` throws
 * @example
 * ```ts
 * const sizes = await mapLimit(keys, 4, async (key) => (await head(key)).ContentLength);
 * ```
 */
export async function mapLimit<T, R>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, lane));
  return results;
}
