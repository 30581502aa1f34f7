// One Helm release of a meta service, named after its chart: the pinned
// chart from the mirror or its official repository, into a namespace the
// service made, its values deep-merged with the bootstrap file's overrides
// for that chart (version and values).
import type * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { atomicRelease } from "../../components/helm-release.js";
import { chartSource } from "./charts.js";
import type { ServiceContext } from "./common.js";

export function merge(a: Record<string, unknown>, b: Record<string, unknown> | undefined): Record<string, unknown> {
  if (!b) return a;
  const out: Record<string, unknown> = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const cur = out[k];
    out[k] =
      cur && v && typeof cur === "object" && typeof v === "object" && !Array.isArray(cur) && !Array.isArray(v)
        ? merge(cur as Record<string, unknown>, v as Record<string, unknown>)
        : v;
  }
  return out;
}

export function metaRelease(
  ctx: ServiceContext,
  chart: string,
  namespace: pulumi.Input<string>,
  values: pulumi.Input<Record<string, unknown>>,
  opts: pulumi.CustomResourceOptions = {},
): k8s.helm.v3.Release {
  const over = ctx.overrides.apply((o) => o[chart]);
  return atomicRelease(
    chart,
    {
      source: pulumi.all([ctx.charts, over]).apply(([mirror, o]) => chartSource(chart, mirror, o?.version)),
      namespace,
      createNamespace: false,
      values: pulumi.all([values, over]).apply(([v, o]) => merge(v as Record<string, unknown>, o?.values)),
    },
    { ...ctx.opts, ...opts },
  );
}
