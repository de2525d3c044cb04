/**
 * An object with each key present and undefined, in the order given: the template a reader spreads
 * into every new row (`{ ...TEMPLATE }`). All rows then share one object shape, which keeps the
 * per-row property reads and writes on a whole-practice export cheap. Made once per kind of row
 * from the list that defines its fields, so the list is not restated. Not frozen on purpose: V8
 * copies a frozen template about twice as slowly.
 */
export function blankOf<K extends string>(keys: readonly K[]): Record<K, undefined> {
  return Object.fromEntries(keys.map((key) => [key, undefined])) as Record<K, undefined>;
}
