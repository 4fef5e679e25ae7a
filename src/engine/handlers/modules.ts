import { stat } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { glob, isDynamicPattern } from "tinyglobby";
import { builtinHandlers } from "./builtins.ts";
import { isHandler, isHooks, type ExecutionHooks, type Handler } from "./define.ts";

/**
 * Loads the user handler modules named by `spec` (HANDLER_MODULES): comma-separated paths or globs
 * (`./handlers/*.ts,./more/x.ts`; `**` matches any depth), relative to `cwd`. Collects every export made
 * by defineHandler or defineHooks. Throws, naming the culprit, on an entry that matches no file, a module
 * that fails to load or exports nothing usable, and a handler name taken by a built-in or another module.
 */
export async function loadHandlerModules(spec: string, cwd = process.cwd()): Promise<{ handlers: Handler[]; hooks: ExecutionHooks[] }> {
  const files = await resolveSpec(spec, cwd);
  const handlers: Handler[] = [];
  const hooks: ExecutionHooks[] = [];
  const origin = new Map<string, string>(builtinHandlers.map((h) => [h.name, "built-in"]));
  for (const file of files) {
    let mod: Record<string, unknown>;
    try {
      mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
    } catch (err) {
      throw new Error(`handler module ${file} failed to load: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
    const seen = new Set<unknown>();
    let usable = 0;
    for (const [exportName, value] of Object.entries(mod)) {
      if (seen.has(value)) continue; // the same object exported twice, e.g. named and default
      seen.add(value);
      if (isHandler(value)) {
        const taken = origin.get(value.name);
        if (taken === "built-in") throw new Error(`handler "${value.name}" in ${file} clashes with the built-in handler "${value.name}"`);
        if (taken) throw new Error(`handler "${value.name}" is defined twice: in ${taken} and in ${file}`);
        origin.set(value.name, file);
        handlers.push(value);
        usable++;
      } else if (isHooks(value)) {
        usable++;
        hooks.push({ ...value, name: value.name ?? `${path.relative(cwd, file) || file}#${exportName}` });
      }
    }
    if (usable === 0)
      throw new Error(`handler module ${file} exports no handler or hooks (export values made by defineHandler or defineHooks)`);
  }
  return { handlers, hooks };
}

/**
 * The files an entry list names, in order, without duplicates. An entry is a path or a glob (tinyglobby:
 * `*`, `**`, `?`, `[…]`; no `{a,b}`, as commas separate entries); globs skip dot files, `.d.ts` files and
 * node_modules, and their matches are sorted.
 */
export async function resolveSpec(spec: string, cwd = process.cwd()): Promise<string[]> {
  const files: string[] = [];
  for (const entry of spec.split(",").map((s) => s.trim()).filter(Boolean)) {
    const matched = isDynamicPattern(entry) ? await globFiles(entry, cwd) : await existingFile(path.resolve(cwd, entry));
    if (matched.length === 0) throw new Error(`HANDLER_MODULES entry "${entry}" matches no file (resolved from ${cwd})`);
    for (const f of matched) if (!files.includes(f)) files.push(f);
  }
  return files;
}

const globFiles = async (pattern: string, cwd: string): Promise<string[]> =>
  (await glob(pattern, { cwd, absolute: true, onlyFiles: true, dot: false, ignore: ["**/*.d.ts", "**/node_modules/**"] })).map((f) => path.resolve(f)).sort();

const existingFile = async (file: string): Promise<string[]> => ((await stat(file).then((s) => s.isFile(), () => false)) ? [file] : []);
