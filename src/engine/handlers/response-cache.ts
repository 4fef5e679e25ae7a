import { LRUCache } from "lru-cache";

// The http handler's in-process response cache, on lru-cache: bounded by entries, entry size and total
// size, least recently used out first, entries expire after their TTL, and a reader may ask for younger
// entries only (its own cache.ttlMs may be shorter than the one the entry was stored with).

export interface ResponseCacheLimits {
  maxEntries: number;
  /** An entry larger than this is not stored. */
  maxEntryBytes: number;
  /** Sum of the entries' sizes. */
  maxTotalBytes: number;
}

export class ResponseCache<V extends {}> {
  private readonly lru: LRUCache<string, V>;

  /** `now`: the clock in ms (tests pass their own). */
  constructor(limits: ResponseCacheLimits, private readonly now: () => number = Date.now) {
    this.lru = new LRUCache<string, V>({ max: limits.maxEntries, maxSize: limits.maxTotalBytes, maxEntrySize: limits.maxEntryBytes, perf: { now }, ttlResolution: 0 });
  }

  get size(): number {
    return this.lru.size;
  }

  get bytes(): number {
    return this.lru.calculatedSize;
  }

  /** The entry under key if it has not expired and is younger than maxAgeMs; a hit becomes the most recent. */
  get(key: string, maxAgeMs = Infinity): { value: V; ageMs: number } | undefined {
    const status: LRUCache.Status<string, V> = {};
    const value = this.lru.get(key, { status });
    if (value === undefined) return undefined;
    const ageMs = Math.max(0, this.now() - (status.start ?? 0));
    return ageMs < maxAgeMs ? { value, ageMs } : undefined;
  }

  /** Stores value for ttlMs, evicting the least recently used past the bounds; false when it is not kept. */
  set(key: string, value: V, bytes: number, ttlMs: number): boolean {
    this.lru.delete(key);
    if (!(ttlMs > 0) || bytes > this.lru.maxEntrySize || bytes > this.lru.maxSize) return false;
    this.lru.set(key, value, { size: Math.max(1, bytes), ttl: ttlMs });
    return this.lru.has(key);
  }
}
