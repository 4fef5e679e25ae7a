import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadHandlerModules, resolveSpec } from "./modules.ts";
import { HandlerRegistry } from "./registry.ts";

const defineUrl = pathToFileURL(path.join(path.dirname(fileURLToPath(import.meta.url)), "define.ts")).href;
const header = `import { defineHandler, defineHooks, HandlerError, z } from ${JSON.stringify(defineUrl)};\n`;

let dir: string;
const write = async (rel: string, body: string) => {
  const file = path.join(dir, rel);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, header + body);
  return file;
};

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "handler-modules-"));
  await write("handlers/alpha.ts", `export const alpha = defineHandler("alpha", { input: z.object({ n: z.number() }), run: async ({ n }) => ({ n: n * 2 }) });\n`);
  await write(
    "handlers/beta.ts",
    `const beta = defineHandler("beta", { run: async () => "b" });
export default beta;
export { beta }; // the same handler twice: registered once
export const hooks = defineHooks({ onExecutionStart: (ctx) => ctx.log("INFO", "beta start") });
export const notAHandler = { name: "fake", run: async () => null };\n`,
  );
  await write("handlers/notes.md", "not a module\n");
  await write("handlers/.hidden.ts", `export const hidden = defineHandler("hidden", { run: async () => null });\n`);
  await write("more/gamma.ts", `export const gamma = defineHandler("gamma", { run: async () => "g" });\nexport const named = defineHooks({ name: "gamma-hooks", onExecutionEnd() {} });\n`);
  await write("bad/empty.ts", `export const value = 42;\nexport function helper() {}\n`);
  await write("bad/clash-builtin.ts", `export const sleep = defineHandler("sleep", { run: async () => null });\n`);
  await write("bad/clash-alpha.ts", `export const alpha2 = defineHandler("alpha", { run: async () => null });\n`);
  await write("bad/throws.ts", `throw new Error("module top-level failure");\n`);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("resolveSpec", () => {
  it("expands globs (sorted), keeps plain paths, drops duplicates and empty entries", async () => {
    const files = await resolveSpec(" ./handlers/*.ts , ,more/gamma.ts,./handlers/alpha.ts", dir);
    expect(files).toEqual([path.join(dir, "handlers/alpha.ts"), path.join(dir, "handlers/beta.ts"), path.join(dir, "more/gamma.ts")]);
    await expect(resolveSpec("", dir)).resolves.toEqual([]);
  });

  it("throws naming an entry that matches no file", async () => {
    await expect(resolveSpec("./handlers/*.js", dir)).rejects.toThrow('HANDLER_MODULES entry "./handlers/*.js" matches no file');
    await expect(resolveSpec("./handlers/alpha.ts,./missing.ts", dir)).rejects.toThrow('HANDLER_MODULES entry "./missing.ts" matches no file');
    await expect(resolveSpec("./nowhere/*.ts", dir)).rejects.toThrow('"./nowhere/*.ts" matches no file');
  });

  it("expands ** and * in directories, skipping dot files, .d.ts files and node_modules", async () => {
    await write("deep/a/b/delta.ts", `export const delta = 1;\n`);
    await write("deep/a/types.d.ts", `export {};\n`);
    await write("deep/node_modules/dep/index.ts", `export {};\n`);
    await write("deep/.cache/x.ts", `export {};\n`);
    expect(await resolveSpec("./deep/**/*.ts", dir)).toEqual([path.join(dir, "deep/a/b/delta.ts")]);
    expect(await resolveSpec("./*/alpha.ts", dir)).toEqual([path.join(dir, "handlers/alpha.ts")]);
    expect(await resolveSpec("handlers/[ab]*.ts", dir)).toEqual([path.join(dir, "handlers/alpha.ts"), path.join(dir, "handlers/beta.ts")]);
    // A leading * skips dot files too, and the rest of a name is literal.
    expect((await resolveSpec("./handlers/*.ts", dir)).map((f) => path.basename(f))).toEqual(["alpha.ts", "beta.ts"]);
  });

  it("expands an absolute glob", async () => {
    expect(await resolveSpec(path.join(dir, "more", "*.ts"), "/")).toEqual([path.join(dir, "more/gamma.ts")]);
  });
});

describe("loadHandlerModules", () => {
  it("collects the handlers and hooks every module exports", async () => {
    const { handlers, hooks } = await loadHandlerModules("./handlers/*.ts,./more/gamma.ts", dir);
    expect(handlers.map((h) => h.name)).toEqual(["alpha", "beta", "gamma"]);
    expect(hooks.map((h) => h.name)).toEqual([path.join("handlers", "beta.ts#hooks"), "gamma-hooks"]);
    await expect(handlers[0]!.run(handlers[0]!.input.parse({ n: 21 }), {} as never)).resolves.toEqual({ n: 42 });
  });

  it("loads nothing for an empty spec", async () => {
    await expect(loadHandlerModules(" ", dir)).resolves.toEqual({ handlers: [], hooks: [] });
  });

  it("throws naming a module that exports nothing usable", async () => {
    await expect(loadHandlerModules("./bad/empty.ts", dir)).rejects.toThrow(`handler module ${path.join(dir, "bad/empty.ts")} exports no handler or hooks`);
  });

  it("throws naming a module that fails to load", async () => {
    await expect(loadHandlerModules("./bad/throws.ts", dir)).rejects.toThrow(`handler module ${path.join(dir, "bad/throws.ts")} failed to load: module top-level failure`);
  });

  it("throws on a name clash with a built-in", async () => {
    await expect(loadHandlerModules("./bad/clash-builtin.ts", dir)).rejects.toThrow(
      `handler "sleep" in ${path.join(dir, "bad/clash-builtin.ts")} clashes with the built-in handler "sleep"`,
    );
  });

  it("throws on a name clash between modules, naming both files", async () => {
    await expect(loadHandlerModules("./handlers/alpha.ts,./bad/clash-alpha.ts", dir)).rejects.toThrow(
      `handler "alpha" is defined twice: in ${path.join(dir, "handlers/alpha.ts")} and in ${path.join(dir, "bad/clash-alpha.ts")}`,
    );
  });
});

describe("HandlerRegistry.create", () => {
  it("registers the built-ins plus the modules' handlers and hooks", async () => {
    const registry = await HandlerRegistry.create("./handlers/*.ts", dir);
    expect([...registry.names()]).toEqual(["noop", "sleep", "fail", "http", "flaky", "alpha", "beta"]);
    expect(registry.parseInput("alpha", { n: 1 }, "tasks[0].input")).toEqual({ n: 1 });
    const logged: string[] = [];
    const errors = await registry.runHooks("onExecutionStart", { execution: { id: "e", planId: "p", params: null, status: "RUNNING" }, log: (_l, m) => logged.push(m) });
    expect(errors).toEqual([]);
    expect(logged).toEqual(["beta start"]);
  });

  it("registers only the built-ins for an empty spec", async () => {
    expect([...(await HandlerRegistry.create("")).names()]).toEqual(["noop", "sleep", "fail", "http", "flaky"]);
  });
});
