import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { chartFrom } from "../../../programs/components/chart-source.js";

describe("chartFrom", () => {
  it("uses an https repository as Helm's repository option", () => {
    expect(chartFrom("https://charts.jetstack.io", "cert-manager", "v1.16.1")).toEqual({
      chart: "cert-manager",
      version: "v1.16.1",
      repositoryOpts: { repo: "https://charts.jetstack.io" },
    });
  });
  it("turns an OCI registry into a chart reference", () => {
    expect(chartFrom("oci://registry.local/mirror/", "cert-manager", "v1.16.1")).toEqual({
      chart: "oci://registry.local/mirror/cert-manager",
      version: "v1.16.1",
    });
  });
  it("reads a local folder for air-gapped sites: the chart's folder or its archive at that version", () => {
    const dir = mkdtempSync(join(tmpdir(), "infra-charts-"));
    mkdirSync(join(dir, "ingress-nginx"));
    writeFileSync(join(dir, "app-1.0.0.tgz"), "");
    expect(chartFrom(dir, "ingress-nginx", "4.11.3")).toEqual({ chart: join(dir, "ingress-nginx"), version: "4.11.3" });
    expect(chartFrom(`file://${dir}/`, "app", "1.0.0")).toEqual({ chart: join(dir, "app-1.0.0.tgz"), version: "1.0.0" });
    expect(() => chartFrom(dir, "app", "2.0.0")).toThrow(`chart app 2.0.0 is not in ${dir} (expected app/ or app-2.0.0.tgz there)`);
  });
});
