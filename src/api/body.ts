import type { IncomingMessage } from "node:http";

/** Past the limit, this much more is read and discarded (so the client can read the 413), then the connection is cut. */
export const DISCARD_BYTES = 4 * 1024 * 1024;

/** readBody's answer when the client went away (or the stream failed) before the body ended: send nothing. */
export const ABORTED = "aborted" as const;

/** The declared Content-Length, or null when there is none (chunked) or it is not a number. */
export function declaredLength(req: IncomingMessage): number | null {
  const value = Number(req.headers["content-length"]);
  return req.headers["content-length"] !== undefined && Number.isSafeInteger(value) ? value : null;
}

/**
 * The body; null when it exceeds `limit` bytes; ABORTED when the request failed or closed before its end
 * (never a rejection: an aborted upload is the client's business, not a server failure). Never holds more
 * than `limit` bytes: past it the rest is discarded, at most DISCARD_BYTES of it, then the connection is
 * destroyed. Answer a null with `connection: close`; answer nothing to ABORTED.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer | null | typeof ABORTED> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) return void chunks.push(chunk);
      req.off("data", onData).off("end", onEnd);
      let discarded = size - limit;
      req.on("data", (more: Buffer) => {
        discarded += more.length;
        if (discarded > DISCARD_BYTES) req.destroy();
      });
      chunks.length = 0;
      resolve(null);
    };
    const onEnd = () => resolve(Buffer.concat(chunks));
    // Resolving twice is harmless: the first answer wins. The error listener stays, so a late error is never unhandled.
    const onAbort = () => ((chunks.length = 0), resolve(ABORTED));
    req.on("data", onData).on("end", onEnd).on("error", onAbort).once("close", () => req.readableEnded || onAbort());
  });
}
