// A bounded in-memory cache: least recently used first out, entries expire after their TTL, and a
// reader may ask for younger entries only (maxAgeMs). Pure: the caller passes the time (ms since epoch).

export interface TtlLruLimits {
  maxEntries: number;
  /** An entry larger than this is not stored. */
  maxEntryBytes: number;
  /** Sum of the entries' sizes. */
  maxTotalBytes: number;
}

interface Entry<V> {
  value: V;
  bytes: number;
  storedAt: number;
  expiresAt: number;
}

export class TtlLruCache<V> {
  // A Map iterates in insertion order: the first key is the least recently used.
  private readonly entries = new Map<string, Entry<V>>();
  private total = 0;

  constructor(readonly limits: TtlLruLimits) {}

  get size(): number {
    return this.entries.size;
  }

  get bytes(): number {
    return this.total;
  }

  /** The entry stored under key if it has not expired and is younger than maxAgeMs; a hit becomes the most recent. */
  get(key: string, now: number, maxAgeMs = Infinity): { value: V; ageMs: number } | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    if (now >= e.expiresAt) {
      this.delete(key);
      return undefined;
    }
    const ageMs = Math.max(0, now - e.storedAt);
    if (ageMs >= maxAgeMs) return undefined;
    this.entries.delete(key);
    this.entries.set(key, e);
    return { value: e.value, ageMs };
  }

  /** Stores value for ttlMs, evicting the least recently used entries past the bounds; false when it is too large to keep. */
  set(key: string, value: V, bytes: number, now: number, ttlMs: number): boolean {
    this.delete(key);
    if (!(ttlMs > 0) || bytes > this.limits.maxEntryBytes || bytes > this.limits.maxTotalBytes) return false;
    this.entries.set(key, { value, bytes, storedAt: now, expiresAt: now + ttlMs });
    this.total += bytes;
    while (this.entries.size > this.limits.maxEntries || this.total > this.limits.maxTotalBytes) {
      const oldest = this.entries.keys().next().value as string;
      this.delete(oldest);
    }
    return true;
  }

  delete(key: string): void {
    const e = this.entries.get(key);
    if (!e) return;
    this.entries.delete(key);
    this.total -= e.bytes;
  }
}
