// The egress guard: loopback and the sandbox's own subnets are tunnelled,
// made-up addresses refused with their reason, names never resolved.
import { mkdtempSync } from "node:fs";
import { connect, createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { egressPolicy, startEgressProxy } from "../../../src/sandbox/egress.js";

const rules = {
  allow: ["10.88.0.0/16"],
  explain: [{ cidr: "10.96.0.0/16", why: "is a made-up Service address" }],
};

describe("the egress policy", () => {
  const decide = egressPolicy(rules);
  it("tunnels loopback, IPv6 loopback, localhost and the sandbox's own subnets", () => {
    expect(decide("127.0.0.1:443")).toEqual({ ok: true, host: "127.0.0.1", port: 443 });
    expect(decide("[::1]:8443")).toEqual({ ok: true, host: "::1", port: 8443 });
    expect(decide("localhost:80")).toEqual({ ok: true, host: "127.0.0.1", port: 80 });
    expect(decide("10.88.3.4:10250")).toMatchObject({ ok: true });
  });
  it("refuses a made-up address with its reason, and any other address", () => {
    expect(decide("10.96.0.10:443")).toEqual({ ok: false, why: "10.96.0.10:443 is a made-up Service address" });
    expect(decide("192.0.2.1:443")).toEqual({ ok: false, why: "192.0.2.1:443 is not on this machine, and the sandbox never sends a packet off it" });
    expect(decide("[2001:db8::1]:443")).toMatchObject({ ok: false });
  });
  it("never resolves a name, and refuses what is not host:port", () => {
    expect(decide("example.com:443")).toEqual({ ok: false, why: "example.com is a name, and the sandbox resolves no names off this machine" });
    for (const bad of ["127.0.0.1", "127.0.0.1:0", "127.0.0.1:70000", "u@127.0.0.1:80", "127.0.0.1:80/x", ""]) {
      expect(decide(bad), bad).toMatchObject({ ok: false });
    }
  });
});

describe("the egress proxy", () => {
  let proxy: Server;
  let echo: Server;
  let echoPort = 0;
  const socket = join(mkdtempSync(join(tmpdir(), "egress-")), "egress.sock");
  const seen: string[] = [];

  beforeAll(async () => {
    echo = createServer((c) => c.pipe(c));
    await new Promise<void>((r) => echo.listen(0, "127.0.0.1", r));
    echoPort = (echo.address() as { port: number }).port;
    proxy = await startEgressProxy(socket, rules, (e) => seen.push(`${e.decision} ${e.target}`));
  });
  afterAll(() => {
    proxy.close();
    echo.close();
  });

  /** Sends `request` on the socket and collects the answer until it closes or `until` appears. */
  function exchange(request: string, until?: string): Promise<string> {
    return new Promise((resolve, reject) => {
      const c = connect(socket);
      let got = "";
      c.on("data", (d) => {
        got += d.toString();
        if (until && got.includes(until)) {
          c.destroy();
          resolve(got);
        }
      });
      c.on("end", () => resolve(got));
      c.on("error", reject);
      c.write(request);
    });
  }

  it("tunnels a CONNECT to loopback, bytes sent with the request included", async () => {
    const got = await exchange(`CONNECT 127.0.0.1:${echoPort} HTTP/1.1\r\nHost: x\r\n\r\nhello`, "hello");
    expect(got).toBe("HTTP/1.1 200 Connection established\r\n\r\nhello");
    expect(seen).toContain(`tunnel 127.0.0.1:${echoPort}`);
  });
  it("refuses a made-up address with 403 and the reason in the status line", async () => {
    const got = await exchange("CONNECT 10.96.0.1:443 HTTP/1.1\r\n\r\n");
    expect(got.split("\r\n")[0]).toBe("HTTP/1.1 403 10.96.0.1:443 is a made-up Service address");
    expect(seen).toContain("refused 10.96.0.1:443");
  });
  it("answers 502 with the reason when nothing listens on an allowed address", async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, "127.0.0.1", r));
    const port = (closed.address() as { port: number }).port;
    await new Promise((r) => closed.close(r));
    const got = await exchange(`CONNECT 127.0.0.1:${port} HTTP/1.1\r\n\r\n`);
    expect(got).toMatch(new RegExp(`^HTTP/1.1 502 127.0.0.1:${port}: connect ECONNREFUSED`));
  });
  it("refuses what is not a CONNECT, and a header with no end", async () => {
    expect(await exchange("GET / HTTP/1.1\r\n\r\n")).toMatch(/^HTTP\/1.1 405 /);
    expect(await exchange(`CONNECT 127.0.0.1:1 HTTP/1.1\r\nX: ${"a".repeat(9000)}`)).toMatch(/^HTTP\/1.1 431 /);
  });
});
