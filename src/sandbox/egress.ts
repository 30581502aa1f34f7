// The sandbox's egress guard: the one path by which its API server reaches the
// cluster network (admission webhooks, aggregated APIs, a node's logs, exec
// and port-forward, the service and pod proxies). kube-apiserver sends each of
// those connections here (EgressSelectorConfiguration, selection `cluster`,
// HTTP CONNECT over a Unix socket). Only addresses on this machine are dialled:
// loopback and the subnets the sandbox itself owns (a real node's bridge). An
// address the sandbox made up (its service range, kwok's node and pod ranges)
// is refused with the reason, which the API server puts in its own error, so
// no packet to it ever leaves through the default route.
import { BlockList, connect, createServer, isIP, type Server, type Socket } from "node:net";

export interface EgressRules {
  /** Subnets on this machine that may be dialled, besides loopback (CIDR). */
  allow: string[];
  /** Made-up subnets, each with the reason a connection to it cannot be served. */
  explain: { cidr: string; why: string }[];
}

export type Decision = { ok: true; host: string; port: number } | { ok: false; why: string };

const MAX_HEADER = 8192;

function subnet(list: BlockList, cidr: string): void {
  const slash = cidr.indexOf("/");
  const address = cidr.slice(0, slash);
  const family = isIP(address);
  if (slash < 0 || family === 0) throw new Error(`not a CIDR: ${cidr}`);
  list.addSubnet(address, Number(cidr.slice(slash + 1)), family === 6 ? "ipv6" : "ipv4");
}

/** True when an IPv4 or IPv6 address lies in the CIDR (false for anything that is not an address). */
export function inCidr(address: string, cidr: string): boolean {
  if (isIP(address) === 0) return false;
  const l = new BlockList();
  subnet(l, cidr);
  return l.check(address, isIP(address) === 6 ? "ipv6" : "ipv4");
}

/** The rules as a function of the target `host:port` a CONNECT names. */
export function egressPolicy(rules: EgressRules): (target: string) => Decision {
  const allowed = new BlockList();
  subnet(allowed, "127.0.0.0/8");
  subnet(allowed, "::1/128");
  for (const c of rules.allow) subnet(allowed, c);
  const named = rules.explain.map(({ cidr, why }) => {
    const l = new BlockList();
    subnet(l, cidr);
    return { l, why };
  });
  return (target) => {
    let url: URL;
    try {
      // A scheme with no default port: ":80" and ":443" stay in url.port.
      url = new URL(`tcp://${target}`);
    } catch {
      return { ok: false, why: `${target} is not a host:port` };
    }
    const port = Number(url.port);
    if (!url.port || !Number.isInteger(port) || port < 1 || port > 65535 || url.pathname !== "" || url.username || url.search || url.hash) {
      return { ok: false, why: `${target} is not a host:port` };
    }
    let host = url.hostname.startsWith("[") ? url.hostname.slice(1, -1) : url.hostname;
    if (host === "localhost") host = "127.0.0.1";
    const family = isIP(host);
    // A name would be resolved by the host's resolver, which may ask the network: never.
    if (family === 0) return { ok: false, why: `${host} is a name, and the sandbox resolves no names off this machine` };
    const type = family === 6 ? "ipv6" : "ipv4";
    if (allowed.check(host, type)) return { ok: true, host, port };
    const n = named.find((x) => x.l.check(host, type));
    return { ok: false, why: n ? `${host}:${port} ${n.why}` : `${host}:${port} is not on this machine, and the sandbox never sends a packet off it` };
  };
}

/** A reason fit for an HTTP status line: one line, printable ASCII. */
function statusText(s: string): string {
  let out = "";
  for (const ch of s) {
    const c = ch.charCodeAt(0);
    out += c >= 0x20 && c < 0x7f ? ch : " ";
  }
  return out.slice(0, 400);
}

export type EgressLog = (entry: { target: string; decision: "tunnel" | "refused" | "failed"; why?: string }) => void;

/** Serves CONNECT on a Unix socket; everything else is refused. */
export function startEgressProxy(socketPath: string, rules: EgressRules, log: EgressLog = () => {}): Promise<Server> {
  const decide = egressPolicy(rules);
  const server = createServer((client) => {
    let head = Buffer.alloc(0);
    const answer = (status: number, text: string) => {
      client.end(`HTTP/1.1 ${status} ${statusText(text)}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`);
    };
    const onData = (chunk: Buffer) => {
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf("\r\n\r\n");
      if (end < 0) {
        if (head.length > MAX_HEADER) {
          client.off("data", onData);
          answer(431, "request header too large");
        }
        return;
      }
      client.off("data", onData);
      client.pause();
      const first = head.subarray(0, head.indexOf("\r\n")).toString("latin1").split(" ");
      const rest = head.subarray(end + 4);
      if (first.length !== 3 || first[0] !== "CONNECT") {
        log({ target: first[1] ?? "", decision: "refused", why: "not a CONNECT" });
        answer(405, "the sandbox's egress guard only tunnels CONNECT");
        return;
      }
      const target = first[1]!;
      const d = decide(target);
      if (!d.ok) {
        log({ target, decision: "refused", why: d.why });
        answer(403, d.why);
        return;
      }
      tunnel(client, d.host, d.port, rest, (why) => {
        log({ target, decision: why ? "failed" : "tunnel", ...(why && { why }) });
        if (why) answer(502, `${target}: ${why}`);
      });
    };
    client.on("data", onData);
    client.on("error", () => client.destroy());
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(socketPath, () => {
      server.off("error", reject);
      resolve(server);
    });
  });
}

function tunnel(client: Socket, host: string, port: number, early: Buffer, done: (why?: string) => void): void {
  let connected = false;
  const upstream = connect({ host, port });
  upstream.setTimeout(10_000);
  upstream.once("timeout", () => upstream.destroy(new Error("timed out connecting")));
  upstream.once("error", (err) => {
    if (connected) client.destroy();
    else done(err.message);
  });
  upstream.once("connect", () => {
    connected = true;
    upstream.setTimeout(0);
    done();
    client.write("HTTP/1.1 200 Connection established\r\n\r\n");
    if (early.length) upstream.write(early);
    client.pipe(upstream);
    upstream.pipe(client);
    client.resume();
    client.once("close", () => upstream.destroy());
    upstream.once("close", () => client.destroy());
  });
}

/** A plain TCP forward: the node's pods reach the API server (on loopback) at the bridge's address. */
export interface Forward {
  listen: { host: string; port: number };
  to: { host: string; port: number };
}

export function startForwarder(f: Forward): Promise<Server> {
  const server = createServer((client) => {
    const upstream = connect(f.to);
    client.pipe(upstream);
    upstream.pipe(client);
    const close = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on("error", close);
    upstream.on("error", close);
    client.on("close", close);
    upstream.on("close", close);
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(f.listen.port, f.listen.host, () => {
      server.off("error", reject);
      resolve(server);
    });
  });
}
