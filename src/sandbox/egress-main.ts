// The egress guard as a process of its own (started detached by infra sandbox
// start, like etcd): node dist/src/sandbox/egress-main.js CONFIG.json.
// One JSON line per connection on stdout, which the sandbox keeps as its log.
import { readFileSync, rmSync } from "node:fs";
import { type EgressRules, type Forward, startEgressProxy, startForwarder } from "./egress.js";
import { type IngressConfig, startIngress } from "./ingress.js";
import { startVolumes, type VolumesConfig } from "./volumes.js";

interface Config extends EgressRules {
  socket: string;
  /** With the real node: the API server, reachable from its pods at the bridge's address. */
  forward?: Forward[];
  /** With the real node: Ingress rules and LoadBalancer ports served on loopback. */
  ingress?: IngressConfig;
  /** The claims' volume provisioner (a sandbox made before it had one has none). */
  volumes?: VolumesConfig;
}

const file = process.argv[2];
if (!file) {
  process.stderr.write("usage: egress-main CONFIG.json\n");
  process.exit(2);
}
const config = JSON.parse(readFileSync(file, "utf8")) as Config;
// A socket left by a killed run would make listen fail: it is ours to replace.
rmSync(config.socket, { force: true });
const server = await startEgressProxy(config.socket, config, (entry) => {
  process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), level: entry.decision === "tunnel" ? "info" : "warn", ...entry })}\n`);
});
const say = (msg: string) => process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), level: "info", msg })}\n`);
say(`listening on ${config.socket}`);
for (const f of config.forward ?? []) {
  await startForwarder(f);
  say(`forwarding ${f.listen.host}:${f.listen.port} to ${f.to.host}:${f.to.port}`);
}
const ingress = config.ingress
  ? await startIngress(config.ingress, (entry) => process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), ...entry })}\n`))
  : undefined;
const volumes = config.volumes
  ? startVolumes(config.volumes, (entry) => process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), ...entry })}\n`))
  : undefined;
const stop = () => {
  volumes?.close();
  ingress?.close();
  server.close();
  rmSync(config.socket, { force: true });
  process.exit(0);
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
