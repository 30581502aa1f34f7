// Preview environments from GitHub webhooks, against a stand-in GitHub of the
// test's own on loopback (GitHub cannot be reached here): signed pull_request
// events create, update and destroy pr-<repository>-<number>; a wrong
// signature is 401 and writes nothing; a replayed delivery runs nothing; the
// stand-in receives the commit statuses and one comment kept up to date.
import { createHmac, randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeHome, type Home } from "../../helpers/cli.js";
import { api, startServer, waitFor, writeToken, type TestServer } from "../../helpers/server.js";

const SECRET = "hook-secret-0123456789abcdef";
const GH_TOKEN = "ghp_standin_token_5d1e";
const SHA1 = "a".repeat(40);
const SHA2 = "b".repeat(40);
const PREVIEW = "template: basic@1.0.0\nparams:\n  greeting: ${head.ref}\n  apiToken: preview-only\nttl: 24h\n";

interface Seen {
  method: string;
  path: string;
  auth: boolean;
  body?: Record<string, unknown>;
}
let github: Server;
let githubUrl: string;
const seen: Seen[] = [];
const comments: { id: number; body: string }[] = [];

let home: Home;
let srv: TestServer;
let token: string;

function standIn(): Promise<void> {
  github = createServer((req, res) => {
    let text = "";
    req.on("data", (c) => (text += c));
    req.on("end", () => {
      const url = new URL(req.url!, "http://x");
      const body = text ? (JSON.parse(text) as Record<string, unknown>) : undefined;
      seen.push({ method: req.method!, path: url.pathname, auth: req.headers.authorization === `Bearer ${GH_TOKEN}`, ...(body && { body }) });
      const send = (status: number, v: unknown) => {
        res.writeHead(status, { "content-type": "application/json" });
        res.end(JSON.stringify(v));
      };
      if (req.method === "GET" && url.pathname === "/repos/acme/shop/contents/infra-preview.yaml") {
        return send(200, { encoding: "base64", content: Buffer.from(PREVIEW).toString("base64") });
      }
      if (req.method === "POST" && url.pathname.startsWith("/repos/acme/shop/statuses/")) return send(201, {});
      if (req.method === "GET" && url.pathname === "/repos/acme/shop/issues/7/comments") return send(200, comments);
      if (req.method === "POST" && url.pathname === "/repos/acme/shop/issues/7/comments") {
        comments.push({ id: comments.length + 1, body: String(body!.body) });
        return send(201, comments.at(-1));
      }
      const edit = /^\/repos\/acme\/shop\/issues\/comments\/(\d+)$/.exec(url.pathname);
      if (req.method === "PATCH" && edit) {
        comments[Number(edit[1]) - 1]!.body = String(body!.body);
        return send(200, comments[Number(edit[1]) - 1]);
      }
      send(404, { message: "Not Found" });
    });
  });
  return new Promise((r) =>
    github.listen(0, "127.0.0.1", () => {
      githubUrl = `http://127.0.0.1:${(github.address() as { port: number }).port}`;
      r();
    }),
  );
}

const event = (action: string, sha: string, ref: string) => ({
  action,
  number: 7,
  repository: { full_name: "acme/shop" },
  pull_request: { head: { sha, ref } },
});
function hook(payload: unknown, o: { delivery?: string; secret?: string; event?: string } = {}) {
  const body = JSON.stringify(payload);
  const sig = `sha256=${createHmac("sha256", o.secret ?? SECRET)
    .update(body)
    .digest("hex")}`;
  return fetch(`${srv.url}/api/v1/hooks/github`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-hub-signature-256": sig,
      "x-github-event": o.event ?? "pull_request",
      "x-github-delivery": o.delivery ?? randomUUID(),
    },
    body,
  });
}
const statusesFor = (sha: string) => seen.filter((s) => s.method === "POST" && s.path === `/repos/acme/shop/statuses/${sha}`).map((s) => s.body!);
const env = async () => (await (await api(srv.url, "/api/v1/environments/pr-shop-7", token)).json()) as { status: string; params: Record<string, unknown> };

beforeAll(async () => {
  await standIn();
  home = makeHome("infra-hooks-");
  home.env.INFRA_LOCATION = "local";
  token = writeToken(home, "rest");
  srv = await startServer(home, ["--concurrency", "2"], {
    INFRA_GITHUB_WEBHOOK_SECRET: SECRET,
    INFRA_GITHUB_API_URL: githubUrl,
    INFRA_GITHUB_TOKEN: GH_TOKEN,
  });
});
afterAll(() => {
  srv?.proc.kill("SIGKILL");
  github?.close();
});

describe("preview environments from GitHub", () => {
  const delivery = randomUUID();

  it("answers a ping", async () => {
    const r = await hook({ zen: "hi" }, { event: "ping" });
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({ status: "pong" });
  });

  it("opened: creates pr-shop-7 from infra-preview.yaml; the status and the comment come back", async () => {
    const r = await hook(event("opened", SHA1, "first"), { delivery });
    expect(r.status).toBe(202);
    expect(await r.json()).toEqual({ status: "accepted", environment: "pr-shop-7", action: "create" });
    const done = await waitFor("a final status", () => statusesFor(SHA1).find((s) => s.state !== "pending"), 120, srv.log);
    expect(done).toMatchObject({ state: "success", context: "infra/preview", target_url: "https://pr-shop-7.infra.test" });
    expect(statusesFor(SHA1)[0]).toMatchObject({ state: "pending" });
    expect(await env()).toMatchObject({ status: "deployed-ok", params: { greeting: "first" } });
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body).toMatch(/^<!-- infra-preview:pr-shop-7 -->\n\*\*infra preview\*\* `pr-shop-7`: pr-shop-7 deployed-ok \(commit aaaaaaa\)/);
    expect(comments[0]!.body).toContain("| url | https://pr-shop-7.infra.test |");
    expect(seen.every((s) => s.auth)).toBe(true);
  });

  it("a wrong signature is 401 and writes nothing; a replayed delivery runs nothing", async () => {
    const before = seen.length;
    const ops = async () => ((await (await api(srv.url, "/api/v1/environments/pr-shop-7/operations", token)).json()) as { items: unknown[] }).items.length;
    const count = await ops();
    const forged = await hook(event("synchronize", SHA2, "forged"), { secret: "not-the-secret-at-all" });
    expect(forged.status).toBe(401);
    expect(forged.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    const unsigned = await fetch(`${srv.url}/api/v1/hooks/github`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-github-event": "pull_request", "x-github-delivery": randomUUID() },
      body: JSON.stringify(event("closed", SHA1, "x")),
    });
    expect(unsigned.status).toBe(401);
    const replay = await hook(event("opened", SHA1, "first"), { delivery });
    expect(replay.status).toBe(200);
    expect(await replay.json()).toEqual({ status: "replayed", delivery });
    await new Promise((r) => setTimeout(r, 500));
    expect(seen.length).toBe(before);
    expect(await ops()).toBe(count);
  });

  it("synchronize: updates it with the new head; the same comment is edited", async () => {
    const r = await hook(event("synchronize", SHA2, "second"));
    expect(r.status).toBe(202);
    expect(await r.json()).toMatchObject({ action: "update" });
    await waitFor("the update's status", () => statusesFor(SHA2).find((s) => s.state !== "pending"), 120, srv.log);
    expect(statusesFor(SHA2).at(-1)).toMatchObject({ state: "success" });
    expect((await env()).params.greeting).toBe("second");
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body).toContain("(commit bbbbbbb)");
  });

  it("closed: destroys it", async () => {
    const r = await hook(event("closed", SHA2, "second"));
    expect(r.status).toBe(202);
    expect(await r.json()).toMatchObject({ environment: "pr-shop-7", action: "destroy" });
    await waitFor("destroyed", async () => (await env()).status === "destroyed", 120, srv.log);
    await waitFor("the destroy's status", () => statusesFor(SHA2).find((s) => String(s.description).includes("destroyed")), 30, srv.log);
    expect(comments[0]!.body).toContain("pr-shop-7 destroyed (pull request closed)");
  });
});
