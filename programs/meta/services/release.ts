// One Helm release of a meta service: pinned chart, overridable source,
// atomic (a release that does not become ready is rolled back), its values
// deep-merged with the bootstrap file's overrides for that service.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { chartSource } from "./charts.js";

export interface ReleaseArgs {
  chart: string;
  namespace: pulumi.Input<string>;
  values: pulumi.Input<Record<string, unknown>>;
  /** One mirror for every chart (https, oci:// or a folder). */
  charts?: pulumi.Input<string | undefined>;
  /** The bootstrap file's overrides: version and values, by chart name. */
  overrides?: pulumi.Input<Record<string, { version?: string; values?: Record<string, unknown> }> | undefined>;
  createNamespace?: boolean;
  timeout?: number;
}

export function merge(a: Record<string, unknown>, b: Record<string, unknown> | undefined): Record<string, unknown> {
  if (!b) return a;
  const out: Record<string, unknown> = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const cur = out[k];
    out[k] = cur && v && typeof cur === "object" && typeof v === "object" && !Array.isArray(cur) && !Array.isArray(v)
      ? merge(cur as Record<string, unknown>, v as Record<string, unknown>)
      : v;
  }
  return out;
}

export function metaRelease(name: string, args: ReleaseArgs, opts: pulumi.CustomResourceOptions): k8s.helm.v3.Release {
  const over = pulumi.output(args.overrides).apply((o) => o?.[args.chart]);
  const src = pulumi.all([args.charts, over]).apply(([mirror, o]) => chartSource(args.chart, mirror || undefined, o?.version));
  return new k8s.helm.v3.Release(name, {
    name,
    chart: src.chart,
    version: src.version,
    repositoryOpts: src.apply((s) => s.repositoryOpts ?? {}),
    namespace: args.namespace,
    createNamespace: args.createNamespace ?? true,
    atomic: true,
    timeout: args.timeout ?? 900,
    values: pulumi.all([args.values, over]).apply(([v, o]) => merge(v as Record<string, unknown>, o?.values)),
  }, opts);
}
