// The prober: what a target is, loopback answers, and the sandbox, whose
// names are never looked up.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { NetworkProber, parseTarget } from "../../../src/health/prober.js";

describe("parseTarget", () => {
  it("reads http(s) URLs and host:port, and nothing else", () => {
    expect(parseTarget("https://shop.example.com/healthz")).toMatchObject({ kind: "http" });
    expect(parseTarget("10.0.0.5:5432")).toEqual({ kind: "tcp", host: "10.0.0.5", port: 5432 });
    expect(parseTarget("[::1]:8080")).toEqual({ kind: "tcp", host: "::1", port: 8080 });
    for (const bad of ["ftp://x", "x", "host:0", "host:70000", "a b:80", "$(id):80", "http://"]) expect(parseTarget(bad), bad).toBeUndefined();
  });
});

describe("NetworkProber", () => {
  const noSandbox = () => ({ ingress: () => ({ why: "there is no sandbox (infra sandbox start)" }) });

  it("answers ok below 400, failing at 400 and above or when nothing listens", async () => {
    const server = createServer((req, res) => {
      res.writeHead(req.url === "/ok" ? 204 : 500);
      res.end();
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const port = (server.address() as AddressInfo).port;
    try {
      const p = new NetworkProber(noSandbox);
      expect(await p.probe(`http://127.0.0.1:${port}/ok`, "local", 1000)).toMatchObject({ state: "ok", detail: expect.stringMatching(/^HTTP 204 in \d+ ms$/) });
      expect(await p.probe(`http://127.0.0.1:${port}/bad`, "local", 1000)).toMatchObject({ state: "failing", detail: expect.stringMatching(/^HTTP 500/) });
      expect(await p.probe(`127.0.0.1:${port}`, "local", 1000)).toMatchObject({ state: "ok" });
      // A sandbox environment's loopback target is checked directly too.
      expect(await p.probe(`http://127.0.0.1:${port}/ok`, "sandbox", 1000)).toMatchObject({ state: "ok" });
    } finally {
      server.close();
    }
    expect(await new NetworkProber(noSandbox).probe(`http://127.0.0.1:${port}/ok`, "local", 1000)).toEqual({ state: "failing", detail: "ECONNREFUSED" });
    expect(await new NetworkProber(noSandbox).probe("nonsense", "local", 1000)).toEqual({ state: "failing", detail: "not an http(s) URL or host:port" });
  });

  it("on the sandbox without its ingress, says why instead of looking the name up", async () => {
    let asked = 0;
    const p = new NetworkProber(() => ({
      ingress: () => {
        asked++;
        return { why: "the sandbox runs no containers" };
      },
    }));
    expect(await p.probe("https://shop.apps.example.com/healthz", "sandbox", 1000)).toEqual({
      state: "unverifiable",
      detail: "the sandbox runs no containers",
    });
    expect(await p.probe("db.shop.svc:5432", "sandbox", 1000)).toEqual({ state: "unverifiable", detail: "the sandbox runs no containers" });
    expect(asked).toBe(2);
  });

  it("on the sandbox with its ingress, goes there by Host, and reads kwok's pods as not checkable", async () => {
    const server = createServer((req, res) => {
      if (req.headers.host === "sim.apps.example.com") {
        res.writeHead(503, { "x-infra-sandbox-simulated": "kwok simulates this Service's pods: nothing answers" });
        return res.end();
      }
      res.writeHead(req.headers.host === "shop.apps.example.com" ? 200 : 404);
      res.end();
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const port = (server.address() as AddressInfo).port;
    try {
      const p = new NetworkProber(() => ({ ingress: () => ({ http: port, https: 1, ca: "/nonexistent" }) }));
      expect(await p.probe("http://shop.apps.example.com/healthz", "sandbox", 1000)).toMatchObject({ state: "ok" });
      expect(await p.probe("http://sim.apps.example.com/", "sandbox", 1000)).toEqual({
        state: "unverifiable",
        detail: "the sandbox's kwok simulates this Service's pods: nothing answers",
      });
      expect(await p.probe("db.shop.svc:5432", "sandbox", 1000)).toEqual({ state: "unverifiable", detail: "db.shop.svc is a name only the cluster resolves" });
    } finally {
      server.close();
    }
  });
});
