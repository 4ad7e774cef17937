// Small collection helpers the modules share.

/** Items grouped by a key, groups and items in first-seen order. */
export function groupBy<T>(items: Iterable<T>, keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}

/** Rows in the order of `keys` (a DataLoader's answer), null where no row has the key. */
export function byKey<K, T>(keys: readonly K[], rows: readonly T[], keyOf: (row: T) => K): (T | null)[] {
  const map = new Map(rows.map((row) => [keyOf(row), row]));
  return keys.map((key) => map.get(key) ?? null);
}

/** Values by key from a DataLoader, in one batch; the first failure fails the whole (loadMany returns errors in place). */
export async function loadAll<K, V>(loader: { loadMany(keys: readonly K[]): Promise<(V | Error)[]> }, keys: readonly K[]): Promise<V[]> {
  const values = await loader.loadMany(keys);
  const failure = values.find((v): v is Error => v instanceof Error);
  if (failure) throw failure;
  return values as V[];
}
