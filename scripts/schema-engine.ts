// Loads Prisma's WASM schema engine (@prisma/schema-engine-wasm) in plain Node and builds the driver
// adapter factories it migrates through. Offline stand-in for the native schema-engine binary the
// Prisma CLI would download. Used by scripts/migrate.ts only (dev tooling, not the app runtime).
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import {
  bindMigrationAwareSqlAdapterFactory,
  ColumnTypeEnum,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
  type SqlQuery,
  type SqlResultSet,
} from "@prisma/driver-adapter-utils";
import type { SchemaEngine } from "@prisma/schema-engine-wasm/schema_engine_bg";

export type { SchemaEngine };

/** A migration-aware adapter factory that also releases every connection/pool it opened. */
export type MigrateAdapterFactory = SqlMigrationAwareDriverAdapterFactory & { close(): Promise<void> };

const require = createRequire(import.meta.url);

// The project's lib (ES2023, no DOM) has no WebAssembly typings; type the two constructors used here.
const { WebAssembly: Wasm } = globalThis as unknown as { WebAssembly: {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
} };

export async function loadSchemaEngine(opts: {
  schemaFiles: [path: string, content: string][];
  adapterFactory: SqlMigrationAwareDriverAdapterFactory;
  log?: (message: string) => void;
}): Promise<SchemaEngine> {
  // The wasm-bindgen glue reports Rust panics through this global; without it a panic is a TypeError.
  const g = globalThis as { PRISMA_WASM_PANIC_REGISTRY?: unknown };
  g.PRISMA_WASM_PANIC_REGISTRY ??= {
    message: "",
    set_message(this: { message: string }, m: string) { this.message = `RuntimeError: ${m}`; },
  };
  // The package entry does `import "./schema_engine_bg.wasm"`, which Node 20 cannot load:
  // instantiate the module ourselves and hand its exports to the JS glue.
  const glue = await import("@prisma/schema-engine-wasm/schema_engine_bg");
  const wasmPath = process.env.SCHEMA_ENGINE_WASM
    ?? require.resolve("@prisma/schema-engine-wasm/schema_engine_bg").replace(/\.js$/, ".wasm");
  const module = new Wasm.Module(await readFile(wasmPath));
  const instance = new Wasm.Instance(module, { "./schema_engine_bg.js": glue });
  glue.__wbg_set_wasm(instance.exports);
  (instance.exports.__wbindgen_start as () => void)();
  const bound = bindMigrationAwareSqlAdapterFactory(opts.adapterFactory);
  return glue.SchemaEngine.new({ datamodels: opts.schemaFiles }, opts.log ?? (() => {}), bound);
}

// @prisma/adapter-pg 7.10.1 has no mapping for Postgres' internal "char" type (oid 18, e.g.
// pg_constraint.contype), which the engine's schema describer reads: "Column type 'char' could not be
// deserialized". Report such columns as text to the adapter, then as Character to the engine.
// performIO is private in the typings, hence the loose cast.
type PgIO = { fields?: { dataTypeID: number }[]; rows: unknown[][] };
function patchCharColumns<A extends SqlDriverAdapter>(adapter: A): A {
  const a = adapter as unknown as {
    performIO(q: SqlQuery): Promise<PgIO>;
    queryRaw(q: SqlQuery): Promise<SqlResultSet>;
  };
  const charCols = new WeakMap<object, number[]>();
  const performIO = a.performIO.bind(a);
  const queryRaw = a.queryRaw.bind(a);
  a.performIO = async (q) => {
    const res = await performIO(q);
    const idx: number[] = [];
    res.fields?.forEach((f, i) => { if (f.dataTypeID === 18) { f.dataTypeID = 25; idx.push(i); } });
    if (idx.length) charCols.set(res.rows, idx);
    return res;
  };
  a.queryRaw = async (q) => {
    const res = await queryRaw(q);
    for (const i of charCols.get(res.rows) ?? []) res.columnTypes[i] = ColumnTypeEnum.Character;
    return res;
  };
  return adapter;
}

/** PostgreSQL through @prisma/adapter-pg; the shadow database is a throwaway DB (role needs CREATEDB). */
export async function pgMigrateFactory(url: string): Promise<MigrateAdapterFactory> {
  const { PrismaPg } = await import("@prisma/adapter-pg");
  const main = new PrismaPg({ connectionString: url });
  const open = new Set<SqlDriverAdapter>();
  const track = <A extends SqlDriverAdapter>(a: A) => (open.add(a), a);
  return {
    provider: main.provider,
    adapterName: main.adapterName,
    connect: async () => track(patchCharColumns(await main.connect())),
    // adapter-pg's own connectToShadowDb lets a connectionString override the shadow database name
    // (so it would diff against the main DB) and drops the DB before closing its pool: do it here.
    async connectToShadowDb() {
      const admin = await main.connect();
      const database = `prisma_migrate_shadow_db_${globalThis.crypto.randomUUID()}`;
      await admin.executeScript(`CREATE DATABASE "${database}"`);
      const u = new URL(url);
      u.pathname = `/${database}`;
      const shadow = patchCharColumns(await new PrismaPg({ connectionString: u.toString() }).connect());
      const closeShadow = shadow.dispose.bind(shadow);
      let disposed = false;
      shadow.dispose = async () => {
        if (disposed) return;
        disposed = true;
        open.delete(shadow);
        await closeShadow();
        await admin.executeScript(`DROP DATABASE IF EXISTS "${database}"`);
        await admin.dispose();
      };
      return track(shadow);
    },
    // The engine never disposes adapters; an open pg pool would keep the process alive.
    async close() {
      for (const a of [...open]) await a.dispose();
      open.clear();
    },
  };
}

/** PGlite (embedded Postgres) in `dataDir`, or in memory when dataDir is "" / "memory://". */
export async function pgliteMigrateFactory(dataDir?: string): Promise<MigrateAdapterFactory> {
  const { PGlite } = await import("@electric-sql/pglite");
  const { PrismaPGlite } = await import("pglite-prisma-adapter");
  const db = new PGlite(dataDir || undefined);
  const main = new PrismaPGlite(db);
  const shadows: InstanceType<typeof PGlite>[] = [];
  return {
    provider: main.provider,
    adapterName: main.adapterName,
    connect: () => main.connect(),
    // The adapter's own shadow PGlite is never closed; keep a handle so close() can release it.
    async connectToShadowDb() {
      const shadow = new PGlite();
      shadows.push(shadow);
      return new PrismaPGlite(shadow).connect();
    },
    async close() {
      for (const s of shadows.splice(0)) if (!s.closed) await s.close();
      if (!db.closed) await db.close(); // PGlite keeps the process alive until closed
    },
  };
}
