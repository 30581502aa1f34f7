// A stand-in Vault for the tests (no Vault server runs on these machines): its
// sys/init, sys/unseal and sys/seal-status endpoints over HTTP, as Vault answers them.
import { randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export class FakeVault {
  initialized = false;
  sealed = true;
  keys: string[] = [];
  threshold = 0;
  given = new Set<string>();
  server: Server = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      const send = (status: number, json: unknown) => res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(json));
      if (req.method === "GET" && req.url === "/v1/sys/init") return send(200, { initialized: this.initialized });
      if (req.method === "PUT" && req.url === "/v1/sys/init") {
        if (this.initialized) return send(400, { errors: ["Vault is already initialized"] });
        const b = JSON.parse(body) as { secret_shares: number; secret_threshold: number };
        this.initialized = true;
        this.threshold = b.secret_threshold;
        this.keys = Array.from({ length: b.secret_shares }, () => randomBytes(32).toString("base64"));
        return send(200, { keys_base64: this.keys, root_token: "hvs.ROOT-TOKEN-VALUE" });
      }
      if (req.method === "GET" && req.url === "/v1/sys/seal-status") return send(200, { sealed: this.sealed, t: this.threshold, progress: this.given.size });
      if (req.method === "POST" && req.url === "/v1/sys/unseal") {
        const { key } = JSON.parse(body) as { key: string };
        if (!this.keys.includes(key)) return send(400, { errors: ["invalid key"] });
        this.given.add(key);
        if (this.given.size >= this.threshold) this.sealed = false;
        return send(200, { sealed: this.sealed, progress: this.given.size });
      }
      send(404, { errors: ["no such path"] });
    });
  });
}

/** Starts one on loopback; returns it with its address. */
export async function startFakeVault(): Promise<{ vault: FakeVault; address: string }> {
  const vault = new FakeVault();
  await new Promise<void>((r) => vault.server.listen(0, "127.0.0.1", r));
  return { vault, address: `http://127.0.0.1:${(vault.server.address() as AddressInfo).port}` };
}
