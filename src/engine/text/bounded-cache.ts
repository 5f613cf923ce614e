// The one cache of the engine and its hosts: a map that keeps at most `maxEntries` entries (and,
// with a weigher, at most `maxWeight` in all), dropping the least recently used first. A Map keeps
// its insertion order, so a hit is moved to the end and eviction takes from the front.

export interface BoundedCacheOptions<K, V> {
  /** entries kept at most (at least 1) */
  maxEntries: number;
  /** the weight of an entry (its size, say); with `maxWeight`, entries go until the total fits */
  weigh?: (value: V, key: K) => number;
  /** total weight kept at most; the newest entry is kept even when it alone weighs more */
  maxWeight?: number;
  /** told of each entry the limits push out (not of `delete` or `clear`), to release what it holds */
  onEvict?: (value: V, key: K) => void;
}

export class BoundedCache<K, V> {
  private readonly entries = new Map<K, { value: V; weight: number }>();
  private totalWeight = 0;
  private readonly maxEntries: number;
  /** the most recently used key: a hit on it is already in place (runs ask for the same entry again and again) */
  private newest: { key: K } | undefined;

  constructor(private readonly options: BoundedCacheOptions<K, V>) {
    this.maxEntries = Math.max(1, Math.floor(options.maxEntries));
  }

  get size(): number {
    return this.entries.size;
  }

  /** The sum of the weights kept (0 without a weigher). */
  get weight(): number {
    return this.totalWeight;
  }

  has(key: K): boolean {
    return this.entries.has(key);
  }

  /** The value, counted as just used. */
  get(key: K): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.touch(key, entry);
    return entry.value;
  }

  /** The value, or what `make` returns, kept (even when `undefined`). */
  getOrCreate(key: K, make: (key: K) => V): V {
    const entry = this.entries.get(key);
    if (entry) {
      this.touch(key, entry);
      return entry.value;
    }
    const value = make(key);
    this.set(key, value);
    return value;
  }

  set(key: K, value: V): this {
    const old = this.entries.get(key);
    if (old) {
      this.entries.delete(key);
      this.totalWeight -= old.weight;
    }
    const weight = this.options.weigh ? this.options.weigh(value, key) : 0;
    this.entries.set(key, { value, weight });
    this.newest = { key };
    this.totalWeight += weight;
    this.evict();
    return this;
  }

  /** Moves an entry to the end of the order (the most recently used), unless it is there already. */
  private touch(key: K, entry: { value: V; weight: number }): void {
    if (this.newest && Object.is(this.newest.key, key)) return;
    this.entries.delete(key);
    this.entries.set(key, entry);
    this.newest = { key };
  }

  private forget(key: K): void {
    if (this.newest && Object.is(this.newest.key, key)) this.newest = undefined;
  }

  delete(key: K): boolean {
    const entry = this.entries.get(key);
    if (!entry) return false;
    this.entries.delete(key);
    this.forget(key);
    this.totalWeight -= entry.weight;
    return true;
  }

  clear(): void {
    this.entries.clear();
    this.newest = undefined;
    this.totalWeight = 0;
  }

  /** The values, least recently used first (reading them does not count as a use). */
  values(): V[] {
    return [...this.entries.values()].map((e) => e.value);
  }

  private evict(): void {
    const maxWeight = this.options.maxWeight ?? Infinity;
    for (const [key, entry] of this.entries) {
      if (this.entries.size <= this.maxEntries && (this.totalWeight <= maxWeight || this.entries.size === 1)) break;
      this.entries.delete(key);
      this.forget(key);
      this.totalWeight -= entry.weight;
      this.options.onEvict?.(entry.value, key);
    }
  }
}
