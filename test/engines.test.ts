import { readFileSync } from "node:fs";
import semver from "semver";
import { describe, expect, it } from "vitest";

// `npm install` warns (EBADENGINE) for every installed package whose engines.node excludes the running
// Node. The project declares Node 20 (package.json engines, the Dockerfile's image): every package the
// lockfile installs must accept every Node 20 release that range allows (package.json overrides pin the
// few whose latest versions only raised their engines).

const read = (file: string) => readFileSync(new URL(`../${file}`, import.meta.url), "utf8");
const pkg = JSON.parse(read("package.json")) as { engines: { node: string } };
const lock = JSON.parse(read("package-lock.json")) as { packages: Record<string, { version?: string; engines?: unknown }> };

const declared = pkg.engines.node;
const node20 = `^${semver.minVersion(declared)!.version}`;

describe("Node engines", () => {
  it("declares Node 20, in package.json, the lockfile and the Docker image alike", () => {
    expect(semver.minVersion(declared)?.major).toBe(20);
    expect((lock.packages[""]?.engines as { node?: string })?.node).toBe(declared);
    expect(read("Dockerfile")).toMatch(/^FROM node:20[-.\s]/m);
  });

  it("installs only packages that support every Node 20 release the project allows (no EBADENGINE)", () => {
    const unsupported = Object.entries(lock.packages)
      .filter(([path, p]) => path !== "" && typeof (p.engines as { node?: unknown })?.node === "string")
      .filter(([, p]) => !semver.subset(node20, (p.engines as { node: string }).node))
      .map(([path, p]) => `${path.replace(/^.*node_modules\//, "")}@${p.version} wants node ${(p.engines as { node: string }).node}`);
    expect(unsupported).toEqual([]);
  });
});
