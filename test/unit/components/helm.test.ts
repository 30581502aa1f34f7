import { describe, expect, it } from "vitest";
import { chartSource } from "../../../programs/components/helm.js";

describe("chartSource", () => {
  it("uses an https repository as Helm's repository option", () => {
    expect(chartSource("https://charts.jetstack.io", "cert-manager")).toEqual({ chart: "cert-manager", repositoryOpts: { repo: "https://charts.jetstack.io" } });
  });
  it("turns an OCI registry into a chart reference", () => {
    expect(chartSource("oci://registry.local/mirror/", "cert-manager")).toEqual({ chart: "oci://registry.local/mirror/cert-manager" });
  });
  it("reads a local folder for air-gapped sites", () => {
    expect(chartSource("/srv/charts", "ingress-nginx")).toEqual({ chart: "/srv/charts/ingress-nginx" });
    expect(chartSource("file:///srv/charts/", "ingress-nginx")).toEqual({ chart: "/srv/charts/ingress-nginx" });
    expect(chartSource("./charts", "app")).toEqual({ chart: "./charts/app" });
  });
});
