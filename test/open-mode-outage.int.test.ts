import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { modes, startInProcess, type InProcess } from "./helpers/inprocess.ts";

// Open mode counts the API keys on every request (src/api/auth.ts). While that count fails, the last
// answer stands, and the warning is logged once per outage, not once per request.

describe.each(modes())("open mode while the key count fails ($mode)", ({ embedded }) => {
  let env: InProcess;
  let log = "";
  beforeAll(async () => {
    const logDestination = new Writable({ write: (chunk: Buffer, _enc, done) => ((log += chunk.toString()), done()) });
    env = await startInProcess({ embedded, startWorker: false, logDestination });
  });
  afterAll(() => env?.stop());

  const ask = async () => (await fetch(env.url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query: "{ __typename }" }) })).json();
  const warnings = () => log.split("\n").filter((line) => line.includes("could not count API keys")).length;
  const hide = () => env.services.db.sql.query('ALTER TABLE "ApiKey" RENAME TO "ApiKey_hidden"');
  const restore = () => env.services.db.sql.query('ALTER TABLE "ApiKey_hidden" RENAME TO "ApiKey"');

  it("warns once per outage, and answers throughout", async () => {
    await hide();
    try {
      for (let i = 0; i < 3; i++) expect(await ask()).toEqual({ data: { __typename: "Query" } });
      expect(warnings()).toBe(1);
    } finally {
      await restore();
    }
    expect(await ask()).toEqual({ data: { __typename: "Query" } }); // the count answers again
    await hide();
    try {
      for (let i = 0; i < 2; i++) expect(await ask()).toEqual({ data: { __typename: "Query" } });
      expect(warnings()).toBe(2); // a new outage, a new warning
    } finally {
      await restore();
    }
  });
});
