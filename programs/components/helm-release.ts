// One Helm release as infra makes them: atomic (a release that does not
// become ready is rolled back, or uninstalled on a first install) and waited
// for, from a chart source of chart-source.ts.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { ChartSource } from "./chart-source.js";

export interface AtomicReleaseArgs {
  source: pulumi.Input<ChartSource>;
  namespace: pulumi.Input<string>;
  values: pulumi.Input<Record<string, unknown>>;
  createNamespace: boolean;
  /** Seconds Helm waits for the release to become ready. */
  timeout?: number;
}

export function atomicRelease(name: string, args: AtomicReleaseArgs, opts: pulumi.CustomResourceOptions): k8s.helm.v3.Release {
  const src = pulumi.output(args.source);
  return new k8s.helm.v3.Release(
    name,
    {
      name,
      chart: src.chart,
      version: src.version,
      repositoryOpts: src.apply((s) => s.repositoryOpts ?? {}),
      namespace: args.namespace,
      createNamespace: args.createNamespace,
      atomic: true,
      timeout: args.timeout ?? 900,
      values: args.values,
    },
    opts,
  );
}
