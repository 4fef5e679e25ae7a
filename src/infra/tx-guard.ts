import { AsyncLocalStorage } from "node:async_hooks";
import type { SqlDriverAdapter, SqlDriverAdapterFactory } from "@prisma/driver-adapter-utils";

// The rule: inside a transaction, every statement runs on that transaction's connection. A statement sent
// through the pool (or Prisma) while the same async chain holds an open transaction waits for a second
// connection: on PGlite, which runs one transaction at a time, that wait never ends; on PostgreSQL a pool
// of N deadlocks under N such transactions. The guard makes such a statement throw at once, naming itself.
// It costs an AsyncLocalStorage, so it is on in tests and development (TX_GUARD) and off by default.

export class TransactionMisuseError extends Error {
  override name = "TransactionMisuseError";
  constructor(what: string) {
    super(`${what} while this async chain holds an open transaction: use the transaction's client`);
  }
}

export interface TxGuard {
  /** Runs a transaction's body: statements outside it fail inside this async chain. */
  inTx<T>(fn: () => Promise<T>): Promise<T>;
  /** Throws when called inside a transaction's async chain. */
  check(what: string): void;
  /** A Prisma driver adapter factory whose connections check the guard before every statement. */
  wrapAdapter<F extends SqlDriverAdapterFactory>(factory: F): F;
  /** A callback that runs outside any transaction's chain (PGlite calls LISTEN callbacks inside the notifying one). */
  detach<A extends unknown[]>(fn: (...args: A) => void): (...args: A) => void;
}

const off: TxGuard = { inTx: (fn) => fn(), check: () => undefined, wrapAdapter: (f) => f, detach: (fn) => fn };

export function createTxGuard(enabled: boolean): TxGuard {
  if (!enabled) return off;
  const open = new AsyncLocalStorage<true>();
  const check = (what: string) => {
    if (open.getStore()) throw new TransactionMisuseError(what);
  };
  const guarded = new Set<keyof SqlDriverAdapter>(["queryRaw", "executeRaw", "executeScript", "startTransaction"]);
  return {
    inTx: (fn) => {
      check("a second transaction started");
      return open.run(true, fn);
    },
    check,
    detach: (fn) => (...args) => open.exit(() => fn(...args)),
    wrapAdapter: (factory) =>
      new Proxy(factory, {
        get(target, prop, receiver) {
          if (prop !== "connect") return Reflect.get(target, prop, receiver);
          return async () => {
            const adapter = await target.connect();
            return new Proxy(adapter, {
              get(a, p, r) {
                const value = Reflect.get(a, p, r);
                if (typeof value !== "function" || !guarded.has(p as keyof SqlDriverAdapter)) return typeof value === "function" ? value.bind(a) : value;
                return (...args: unknown[]) => {
                  check(`a Prisma query (${String(p)})`);
                  return (value as (...x: unknown[]) => unknown).apply(a, args);
                };
              },
            });
          };
        },
      }),
  };
}
