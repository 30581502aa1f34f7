// The sandbox's ingress table: Ingress rules and Services in, routes out.
import { describe, expect, it } from "vitest";
import { type IngressObject, loadBalancerPorts, matchRoute, realEndpoints, routeTable, type ServiceObject } from "../../../src/sandbox/ingress-routes.js";
import { dnsName } from "../../../src/sandbox/ingress.js";

const RANGE = "10.96.0.0/16";
const svc = (ns: string, name: string, ip: string, ports: { name?: string; port: number; protocol?: string }[], type = "ClusterIP"): ServiceObject => ({
  metadata: { namespace: ns, name },
  spec: { type, clusterIP: ip, ports },
});
const services = [
  svc("shop", "app", "10.96.4.2", [{ name: "http", port: 80 }]),
  svc("shop", "api", "10.96.4.3", [{ port: 8080 }]),
  svc("shop", "outside", "", [{ port: 80 }], "ExternalName"),
  svc("shop", "headless", "None", [{ port: 80 }]),
];
const ingress: IngressObject = {
  metadata: { namespace: "shop", name: "app" },
  spec: {
    tls: [{ hosts: ["shop.apps.example.com"], secretName: "app-tls" }],
    rules: [
      {
        host: "Shop.apps.example.com",
        http: {
          paths: [
            { path: "/", pathType: "Prefix", backend: { service: { name: "app", port: { name: "http" } } } },
            { path: "/api", pathType: "Prefix", backend: { service: { name: "api", port: { number: 8080 } } } },
            { path: "/exact", pathType: "Exact", backend: { service: { name: "api", port: { number: 8080 } } } },
            { path: "/ext", pathType: "Prefix", backend: { service: { name: "outside", port: { number: 80 } } } },
            { path: "/none", pathType: "Prefix", backend: { service: { name: "missing", port: { number: 80 } } } },
          ],
        },
      },
      { host: "*.preview.example.com", http: { paths: [{ path: "/", backend: { service: { name: "app", port: { number: 80 } } } }] } },
    ],
  },
};
const table = routeTable([ingress], services, RANGE);

describe("the sandbox's ingress routes", () => {
  it("sends a host and path to the Service's cluster address and port, the most specific path first", () => {
    expect(matchRoute(table, "shop.apps.example.com", "/")?.backend).toMatchObject({ ip: "10.96.4.2", port: 80 });
    expect(matchRoute(table, "SHOP.apps.example.com", "/api/orders?x=1")?.backend).toMatchObject({ ip: "10.96.4.3", port: 8080 });
    expect(matchRoute(table, "shop.apps.example.com", "/apiary")?.backend.ip).toBe("10.96.4.2");
    expect(matchRoute(table, "shop.apps.example.com", "/exact")?.backend.port).toBe(8080);
    expect(matchRoute(table, "shop.apps.example.com", "/exact/more")?.backend.port).toBe(80);
    expect(matchRoute(table, "shop.apps.example.com", "/")?.tlsSecret).toEqual({ namespace: "shop", name: "app-tls" });
  });

  it("matches a wildcard host on one label only, and nothing for an unknown host", () => {
    expect(matchRoute(table, "pr-7.preview.example.com", "/")?.backend.ip).toBe("10.96.4.2");
    expect(matchRoute(table, "a.b.preview.example.com", "/")).toBeUndefined();
    expect(matchRoute(table, "preview.example.com", "/")).toBeUndefined();
    expect(matchRoute(table, "other.example.com", "/")).toBeUndefined();
  });

  it("never dials what is not a cluster address: ExternalName, headless or missing Services carry the reason", () => {
    expect(matchRoute(table, "shop.apps.example.com", "/ext")?.backend.error).toMatch(/no cluster address \(headless or ExternalName\)/);
    expect(matchRoute(table, "shop.apps.example.com", "/none")?.backend.error).toBe("no Service shop/missing");
    const wrongPort = routeTable(
      [{ metadata: { namespace: "shop", name: "x" }, spec: { defaultBackend: { service: { name: "app", port: { number: 9999 } } } } }],
      services,
      RANGE,
    );
    expect(matchRoute(wrongPort, "anything", "/")?.backend.error).toBe("Service shop/app has no port 9999");
    const outside = routeTable([ingress], [svc("shop", "app", "192.168.1.10", [{ name: "http", port: 80 }])], RANGE);
    expect(matchRoute(outside, "shop.apps.example.com", "/")?.backend.ip).toBeUndefined();
  });

  it("opens each LoadBalancer Service's TCP ports once, to its cluster address", () => {
    const lbs = loadBalancerPorts(
      [
        svc("b", "db", "10.96.9.9", [{ port: 5432 }], "LoadBalancer"),
        svc("a", "web", "10.96.9.8", [{ port: 80 }, { port: 5432 }, { port: 53, protocol: "UDP" }], "LoadBalancer"),
        svc("a", "plain", "10.96.9.7", [{ port: 81 }]),
        svc("a", "odd", "172.16.0.1", [{ port: 82 }], "LoadBalancer"),
      ],
      RANGE,
    );
    expect(lbs).toEqual([
      { service: "a/web", port: 80, ip: "10.96.9.8" },
      { service: "a/web", port: 5432, ip: "10.96.9.8" },
    ]);
  });

  it("makes certificates only for DNS names", () => {
    expect(dnsName("shop.apps.example.com")).toBe(true);
    expect(dnsName("*.preview.example.com")).toBe(true);
    for (const bad of ["", "a..b", "-a.com", "a b.com", "/CN=evil", "a.com\nx", `${"a".repeat(64)}.com`, "x".repeat(254)])
      expect(dnsName(bad), bad).toBe(false);
  });

  it("counts only Ready endpoints on the real node's bridge: kwok's pods answer nothing", () => {
    const slice = (ns: string, svcName: string, endpoints: { addresses: string[]; conditions?: { ready?: boolean } }[]) => ({
      metadata: { namespace: ns, labels: { "kubernetes.io/service-name": svcName } },
      endpoints,
    });
    const real = realEndpoints(
      [
        slice("shop", "app", [
          { addresses: ["10.89.0.4"], conditions: { ready: true } },
          { addresses: ["10.89.0.5"], conditions: { ready: false } },
        ]),
        slice("shop", "app", [{ addresses: ["10.89.0.6"] }]),
        slice("shop", "sim", [{ addresses: ["10.244.0.7"], conditions: { ready: true } }]),
        { metadata: { namespace: "shop" }, endpoints: [{ addresses: ["10.89.0.9"] }] },
      ],
      "10.89.0.0/24",
    );
    expect(real.get("shop/app")).toBe(2);
    expect(real.get("shop/sim")).toBe(0);
    expect(real.size).toBe(2);
  });
});
