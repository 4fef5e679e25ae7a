import net from "node:net";

// A TCP proxy in front of PostgreSQL that counts what one worker process sends: statements (simple
// Query and extended-protocol Execute messages) and transactions (each return to "idle" in ReadyForQuery
// after a statement: an autocommit statement or a BEGIN … COMMIT/ROLLBACK block). PostgreSQL's own
// xact_commit counts more: a LISTENing backend reads each NOTIFY it receives in a transaction of its own. It reads the protocol
// framing only; bytes pass through unchanged. pg_stat_statements needs a server restart here, and the
// engine has no statement hook a worker process exposes: the wire is where every client can be counted.

export interface WireCounts {
  statements: number;
  /** BEGIN, COMMIT, ROLLBACK, SAVEPOINT … among `statements`. */
  control: number;
  transactions: number;
  /** Statements by their first 100 characters (whitespace folded). */
  texts: Map<string, number>;
}

const CONTROL = /^\s*(BEGIN|START\s+TRANSACTION|COMMIT|END|ROLLBACK|SAVEPOINT|RELEASE)\b/i;
const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;

/** Splits a byte stream into protocol messages: (type, body); the startup message has no type byte (0). */
function framer(startup: boolean, onMessage: (type: number, body: Buffer) => void) {
  let buf: Buffer = Buffer.alloc(0);
  return (chunk: Buffer) => {
    buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
    for (;;) {
      const head = startup ? 0 : 1;
      if (buf.length < head + 4) return;
      const end = head + buf.readInt32BE(head);
      if (buf.length < end) return;
      const body = buf.subarray(head + 4, end);
      if (startup) {
        const code = body.readInt32BE(0);
        if (code === SSL_REQUEST || code === GSSENC_REQUEST) throw new Error("bench wire counter: connect without SSL/GSS (sslmode=disable)");
      }
      onMessage(startup ? 0 : buf[0]!, body);
      startup = false;
      buf = buf.subarray(end);
    }
  };
}

const cstring = (b: Buffer, from: number) => {
  const end = b.indexOf(0, from);
  return { text: b.toString("utf8", from, end), next: end + 1 };
};

export async function startWireCounter(target: { host: string; port: number }) {
  const counts: WireCounts = { statements: 0, control: 0, transactions: 0, texts: new Map() };
  const count = (text: string) => {
    counts.statements += 1;
    if (CONTROL.test(text)) counts.control += 1;
    const key = text.replace(/\s+/g, " ").trim().slice(0, 100);
    counts.texts.set(key, (counts.texts.get(key) ?? 0) + 1);
  };
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(target.port, target.host);
    for (const s of [client, upstream]) sockets.add(s), s.once("close", () => sockets.delete(s));
    const statements = new Map<string, string>();
    const portals = new Map<string, string>();
    let dirty = false; // a statement was sent (or parsed: that too opens a transaction) since the last idle ReadyForQuery
    const fromClient = framer(true, (type, body) => {
      if (type === 0x51 /* Q */) (count(cstring(body, 0).text), (dirty = true));
      else if (type === 0x50 /* P */) {
        const name = cstring(body, 0);
        statements.set(name.text, cstring(body, name.next).text);
        dirty = true;
      } else if (type === 0x42 /* B */) {
        const portal = cstring(body, 0);
        portals.set(portal.text, statements.get(cstring(body, portal.next).text) ?? "");
      } else if (type === 0x45 /* E */) (count(portals.get(cstring(body, 0).text) ?? ""), (dirty = true));
    });
    const fromServer = framer(false, (type, body) => {
      if (type === 0x5a /* Z */ && body[0] === 0x49 /* I */ && dirty) (counts.transactions += 1), (dirty = false);
    });
    client.on("data", (chunk: Buffer) => (fromClient(chunk), upstream.write(chunk)));
    upstream.on("data", (chunk: Buffer) => (fromServer(chunk), client.write(chunk)));
    const end = () => (client.destroy(), upstream.destroy());
    client.on("error", end).on("close", end);
    upstream.on("error", end).on("close", end);
  });
  await new Promise<void>((res) => server.listen(0, "127.0.0.1", res));
  return {
    port: (server.address() as net.AddressInfo).port,
    /** A copy of the counts so far. */
    snapshot: (): WireCounts => ({ ...counts, texts: new Map(counts.texts) }),
    close: () => new Promise<void>((res) => (sockets.forEach((s) => s.destroy()), server.close(() => res()))),
  };
}

/** What happened between two snapshots. */
export function between(a: WireCounts, b: WireCounts): WireCounts {
  const texts = new Map<string, number>();
  for (const [k, v] of b.texts) if (v - (a.texts.get(k) ?? 0) > 0) texts.set(k, v - (a.texts.get(k) ?? 0));
  return { statements: b.statements - a.statements, control: b.control - a.control, transactions: b.transactions - a.transactions, texts };
}
