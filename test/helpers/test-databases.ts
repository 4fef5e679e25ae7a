import { afterAll, beforeEach } from "vitest";
import { markTestFailed, releaseTestDatabases } from "./infra.ts";

// Setup file of every integration test file: the databases it created are dropped when it ends, also when a
// test failed (KEEP_TEST_DATABASES=1 keeps them then). Registered first, this afterAll runs after the file's own.
beforeEach(({ onTestFailed }) => onTestFailed(markTestFailed));
afterAll(({}, file) => {
  if (file.result?.state === "fail") markTestFailed(); // a failed beforeAll/afterAll fails no single test
  return releaseTestDatabases();
});
