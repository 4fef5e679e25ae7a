// MONITOR_TRACE: where an ExecutionUpdate's latency goes, stage by stage (bench:monitor reads it). The
// stamps ride along the update (a WeakMap here, a prefix on the bus's wire, `extensions.trace` in the
// GraphQL result); off, which is the default, the hot path pays one boolean test per update.

export type Stage = "committed" | "published" | "received" | "executed" | "sent";
export type Stamps = Partial<Record<Stage, number>>;

export const trace = { on: false };

/** Wall-clock milliseconds with sub-millisecond precision (Date.now() is too coarse for these stages). */
export const preciseNow = () => performance.timeOrigin + performance.now();

const stamps = new WeakMap<object, Stamps>();

export function mark(o: object, stage: Stage, at = preciseNow()): void {
  const s = stamps.get(o);
  if (s) s[stage] = at;
  else stamps.set(o, { [stage]: at });
}

export const marks = (o: object): Stamps | undefined => stamps.get(o);

/** On the wire a traced message is `~<stamps JSON>\n<payload>`; a payload never starts with `~`. */
export const withStamps = (o: object, raw: string): string => `~${JSON.stringify(stamps.get(o) ?? {})}\n${raw}`;

/** Splits a traced message; an untraced one passes through. */
export function splitStamps(raw: string): { raw: string; stamps: Stamps | null } {
  if (raw[0] !== "~") return { raw, stamps: null };
  const nl = raw.indexOf("\n");
  return { raw: raw.slice(nl + 1), stamps: JSON.parse(raw.slice(1, nl)) as Stamps };
}

/** After decoding a traced message: its stamps belong to the decoded object, plus when it arrived here. */
export function adopt(o: object, wire: Stamps | null, received: number): void {
  stamps.set(o, { ...wire, received });
}
