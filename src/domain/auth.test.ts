import { describe, expect, it } from "vitest";
import { bearerToken, decideMode, denial, isLoopback, keyNameProblem, neededRole, roleAtLeast, scopesFor } from "./auth.ts";

const key = (role: "VIEWER" | "OPERATOR" | "ADMIN") => ({ id: "k", name: "n", role });

describe("roles and scopes", () => {
  it("ADMIN ⊃ OPERATOR ⊃ VIEWER", () => {
    expect(roleAtLeast("ADMIN", "OPERATOR")).toBe(true);
    expect(roleAtLeast("OPERATOR", "ADMIN")).toBe(false);
    expect(roleAtLeast("VIEWER", "VIEWER")).toBe(true);
    expect(scopesFor({ mode: "keys", key: key("VIEWER") })).toEqual({ viewer: true, operator: false, admin: false });
    expect(scopesFor({ mode: "keys", key: key("OPERATOR") })).toEqual({ viewer: true, operator: true, admin: false });
    expect(scopesFor({ mode: "keys", key: key("ADMIN") })).toEqual({ viewer: true, operator: true, admin: true });
  });

  it("no key in keys mode has no scope; open and disabled modes have every scope", () => {
    expect(scopesFor({ mode: "keys", key: null })).toEqual({ viewer: false, operator: false, admin: false });
    expect(scopesFor({ mode: "open", key: null })).toEqual({ viewer: true, operator: true, admin: true });
    expect(scopesFor({ mode: "disabled", key: null })).toEqual({ viewer: true, operator: true, admin: true });
  });

  it("the needed role is the highest of the scopes involved", () => {
    expect(neededRole(["operator", "admin"])).toBe("ADMIN");
    expect(neededRole(["viewer"])).toBe("VIEWER");
    expect(neededRole([])).toBe("VIEWER");
  });

  it("denials name the field and the role, and say UNAUTHENTICATED without a usable key", () => {
    expect(denial({ mode: "keys", key: key("VIEWER") }, "Mutation.createPlan", "ADMIN")).toEqual({
      code: "FORBIDDEN",
      message: "Mutation.createPlan needs role ADMIN or higher; this API key has role VIEWER",
    });
    expect(denial({ mode: "keys", key: null }, "Query.plans", "VIEWER").code).toBe("UNAUTHENTICATED");
    expect(denial({ mode: "keys", key: null, rejectedKey: true }, "Query.plans", "VIEWER").message).toMatch(/invalid or revoked/);
  });
});

describe("mode at start-up", () => {
  it("loopback addresses", () => {
    for (const h of ["127.0.0.1", "127.1.2.3", "::1", "[::1]", "localhost", "::ffff:127.0.0.1"]) expect(isLoopback(h), h).toBe(true);
    for (const h of ["0.0.0.0", "::", "10.0.0.1", "192.168.1.2", "example.com", "127.0.0.1.example.com"]) expect(isLoopback(h), h).toBe(false);
  });

  it("open on loopback without keys, refused elsewhere, keys whenever a key exists, disabled when asked", () => {
    expect(decideMode({ host: "127.0.0.1", activeKeys: 0, bootstrapKey: false, authDisabled: false })).toMatchObject({ ok: true, mode: "open", warning: expect.stringMatching(/open/) });
    const refused = decideMode({ host: "0.0.0.0", activeKeys: 0, bootstrapKey: false, authDisabled: false });
    expect(refused.ok).toBe(false);
    expect(!refused.ok && refused.error).toMatch(/refusing to listen on 0\.0\.0\.0 without API keys.*AUTH_DISABLED=true/);
    expect(decideMode({ host: "0.0.0.0", activeKeys: 1, bootstrapKey: false, authDisabled: false })).toEqual({ ok: true, mode: "keys" });
    expect(decideMode({ host: "0.0.0.0", activeKeys: 0, bootstrapKey: true, authDisabled: false })).toEqual({ ok: true, mode: "keys" });
    expect(decideMode({ host: "127.0.0.1", activeKeys: 3, bootstrapKey: false, authDisabled: false })).toEqual({ ok: true, mode: "keys" });
    expect(decideMode({ host: "0.0.0.0", activeKeys: 5, bootstrapKey: true, authDisabled: true })).toMatchObject({ ok: true, mode: "disabled" });
  });
});

describe("input", () => {
  it("key names are 1..100 characters", () => {
    expect(keyNameProblem("ci")).toBeNull();
    expect(keyNameProblem("  ")).toBe("must not be empty");
    expect(keyNameProblem("x".repeat(101))).toMatch(/at most 100/);
    expect(keyNameProblem("x".repeat(100))).toBeNull();
  });

  it("bearer tokens: absent, malformed, present", () => {
    expect(bearerToken(undefined)).toBeNull();
    expect(bearerToken("")).toBeNull();
    expect(bearerToken("Bearer eng_abc")).toBe("eng_abc");
    expect(bearerToken("bearer   eng_abc ")).toBe("eng_abc");
    expect(bearerToken("Basic dXNlcjpwYXNz")).toBeUndefined();
    expect(bearerToken("Bearer a b")).toBeUndefined();
    expect(bearerToken("eng_abc")).toBeUndefined();
  });
});
