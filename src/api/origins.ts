import type { IncomingMessage, ServerResponse } from "node:http";

// Cross-site access (#8): browsers on other sites may not use the API unless CORS_ORIGINS lists their
// origin (HTTP: no Access-Control-Allow-Origin for them; WebSocket: the upgrade is refused), and in open
// mode only loopback Host names are served, so a DNS-rebound name pointing at 127.0.0.1 gets nothing.

const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

/** `localhost`, `127.0.0.1` or `[::1]`, with or without a port. */
export function isLoopbackHost(host: string | undefined): boolean {
  if (!host) return false;
  const name = host.startsWith("[") ? host.slice(0, host.indexOf("]") + 1) : host.split(":")[0]!;
  return LOOPBACK_HOSTS.has(name.toLowerCase());
}

/** CORS_ORIGINS: comma-separated origins (`https://app.example.com`); empty: same origin only. */
export function parseOrigins(value: string | undefined): string[] {
  return (value ?? "").split(",").map((o) => o.trim().replace(/\/+$/, "").toLowerCase()).filter((o) => o !== "");
}

/** May a request with this Origin header use the API? No Origin (not a browser), the same origin, or an allow-listed one. */
export function originAllowed(origin: string | undefined | null, host: string | undefined, allowed: readonly string[]): boolean {
  if (!origin) return true;
  const o = origin.toLowerCase();
  if (allowed.includes(o)) return true;
  try {
    return host !== undefined && new URL(o).host === host.toLowerCase();
  } catch {
    return false;
  }
}

/** 403 for a Host that open mode does not serve. */
export function refuseHost(res: ServerResponse, req: IncomingMessage): void {
  const message = `host ${JSON.stringify(String(req.headers.host ?? "")).slice(0, 100)} not allowed: without API keys (open mode) the API answers only localhost, 127.0.0.1 and [::1]`;
  res.writeHead(403, { "content-type": "application/json" }).end(JSON.stringify({ errors: [{ message, extensions: { code: "HOST_NOT_ALLOWED" } }] }));
}
