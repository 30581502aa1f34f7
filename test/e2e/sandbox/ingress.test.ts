// What runs on the sandbox's real node gets checked (as root): the built-in
// k8s-namespace-app with the test image (pushed to the sandbox's registry
// under a name of its own) runs there, and its `health` output answers through
// the sandbox's ingress (HTTPS by SNI, a certificate from the sandbox's CA),
// as does a LoadBalancer Service at 127.0.0.1 and its port; kube-proxy takes
// each to a pod.
import { execFileSync, spawnSync } from "node:child_process";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { whyNoNode } from "../../../src/sandbox/node.js";
import { makeHome, type Home } from "../../helpers/cli.js";
import { waitFor } from "../../helpers/server.js";

const why = whyNoNode("/nonexistent");
let home: Home;
let ca = "";
let ingress = { http: 0, https: 0 };
const kubectl = (args: string[]) =>
  execFileSync("kubectl", args, { env: { ...process.env, KUBECONFIG: join(home.env.INFRA_HOME!, "sandbox", "kubeconfig") }, encoding: "utf8" });
const curl = (args: string[]) => spawnSync("curl", ["-sS", "-m", "5", ...args], { encoding: "utf8" });

describe.skipIf(!!why)(`an application on the real node, reached as its users would${why ? ` (skipped: ${why})` : ""}`, () => {
  beforeAll(() => {
    home = makeHome("infra-ingress-");
    const r = home.run(["sandbox", "start", "--real-node"]);
    expect(r.code, r.stderr).toBe(0);
    const s = home.json<{ ingress: { http: number; https: number }; registry: { ca: string } }>(["sandbox", "status"]);
    ingress = s.ingress;
    ca = s.registry.ca;
    const tar = join(home.env.INFRA_HOME!, "sandbox", "node", "images", "infra-sandbox-httpd-1.tar");
    expect(home.run(["sandbox", "push", tar, "ghcr.io/acme/shop:1.0"]).code).toBe(0);
  });
  afterAll(() => {
    home?.run(["sandbox", "delete", "--yes", "--force"]);
  });

  it("serves Ingress rules on 127.0.0.1's standard ports, and says so", () => {
    expect(ingress).toEqual({ http: 80, https: 443 });
    expect(home.run(["sandbox", "status"]).stdout).toContain("ingress:    http on 127.0.0.1:80, https on 127.0.0.1:443");
  });

  it("runs k8s-namespace-app with realNode on the real node; its pods pass their real probes", () => {
    const r = home.run([
      "env",
      "create",
      "shop",
      "-t",
      "k8s-namespace-app@1.2.0",
      "-p",
      "image=ghcr.io/acme/shop:1.0",
      "-p",
      "realNode=true",
      "-p",
      "replicas=1",
      "--location",
      "sandbox",
    ]);
    expect(r.code, r.stderr).toBe(0);
    // Validated before it is deployed-ok: its health output, probed through the sandbox's ingress,
    // and each of its Kubernetes objects by kstatus's rules.
    expect(r.stderr).toMatch(/healthy: \d+ checks ok/);
    const pods = kubectl(["-n", "shop", "get", "pods", "-o", 'jsonpath={range .items[*]}{.spec.nodeName} {.status.containerStatuses[0].ready}{"\\n"}{end}']);
    expect(pods.trim()).toBe("sandbox-real-0 true");
  });

  it("answers its health output for real, over HTTPS through the ingress with the sandbox CA's certificate", () => {
    const health = home.json<{ outputs: { health: { value: string } } }>(["env", "show", "shop"]).outputs.health.value;
    expect(health).toBe("https://shop.apps.example.com/healthz");
    const r = curl(["--cacert", ca, "--resolve", "shop.apps.example.com:443:127.0.0.1", health]);
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe("ok\n");
    const checked = home.json<{ state: string; checks: { target: string; state: string; detail: string }[] }>(["env", "health", "shop"]);
    expect(checked.state).toBe("ok");
    expect(checked.checks[0]).toMatchObject({ target: health, state: "ok", detail: expect.stringMatching(/^HTTP 200 in \d+ ms$/) });
    expect(checked.checks.find((c) => c.target === "Deployment shop/app")).toMatchObject({ state: "ok", detail: "Current: 1/1 ready" });
    expect(checked.checks.every((c) => c.state === "ok")).toBe(true);
    const plain = curl(["-H", "Host: shop.apps.example.com", "http://127.0.0.1/"]);
    expect(plain.stdout).toBe("hello from the sandbox's real node\n");
    const unknown = curl(["-H", "Host: nobody.example.com", "-w", "%{http_code}", "http://127.0.0.1/"]);
    expect(unknown.stdout).toBe(`the sandbox's ingress: no Ingress rule serves host "nobody.example.com" and path "/"\n404`);
  });

  it("opens a LoadBalancer Service at its address, 127.0.0.1, and its port", async () => {
    kubectl(["-n", "shop", "expose", "deployment", "app", "--name", "lb", "--type", "LoadBalancer", "--port", "18080", "--target-port", "8080"]);
    const address = await waitFor(
      "the LoadBalancer's address",
      () => kubectl(["-n", "shop", "get", "service", "lb", "-o", "jsonpath={.status.loadBalancer.ingress[0].ip}"]) || undefined,
    );
    expect(address).toBe("127.0.0.1");
    const body = await waitFor("127.0.0.1:18080 to answer", () => {
      const r = curl(["http://127.0.0.1:18080/healthz"]);
      return r.status === 0 ? r.stdout : undefined;
    });
    expect(body).toBe("ok\n");
    kubectl(["-n", "shop", "delete", "service", "lb"]);
    await waitFor("127.0.0.1:18080 to close", () => (curl(["http://127.0.0.1:18080/healthz"]).status !== 0 ? true : undefined));
  });

  it("says at once when a Service's pods are kwok's, which answer nothing", async () => {
    kubectl(["-n", "shop", "create", "deployment", "sim", "--image=example.invalid/sim:1", "--port=8080"]);
    kubectl(["-n", "shop", "rollout", "status", "deployment/sim", "--timeout=60s"]);
    kubectl(["-n", "shop", "expose", "deployment", "sim", "--port", "80", "--target-port", "8080"]);
    kubectl(["-n", "shop", "create", "ingress", "sim", "--rule=sim.apps.example.com/*=sim:80"]);
    const r = spawnSync("sh", ["-c", "sleep 3; curl -sS -m 10 -H 'Host: sim.apps.example.com' -w '%{http_code}' http://127.0.0.1/"], { encoding: "utf8" });
    expect(r.stdout).toBe(
      "the sandbox's ingress: Service shop/sim:80 has no Ready pod on the real node (kwok simulates the others: nothing answers there)\n503",
    );
    // A health check through it is "not checked", neither passed nor failed.
    const { NetworkProber } = await import("../../../src/health/prober.js");
    const { Sandbox } = await import("../../../src/sandbox/sandbox.js");
    const answer = await new NetworkProber(() => new Sandbox(home.env.INFRA_HOME!)).probe("https://sim.apps.example.com/", "sandbox", 5000);
    expect(answer).toEqual({ state: "unverifiable", detail: "the sandbox's kwok simulates this Service's pods: nothing answers" });
  });

  it("destroys it", () => {
    expect(home.run(["env", "destroy", "shop", "--yes"]).code).toBe(0);
  });
});
