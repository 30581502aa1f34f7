// What every meta service reads from the template: its cluster, the chart
// mirror and the bootstrap file's chart overrides (JSON text).
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";

export type Overrides = Record<string, { version?: string; values?: Record<string, unknown> }>;

export interface ServiceContext {
  opts: pulumi.CustomResourceOptions;
  charts: pulumi.Output<string | undefined>;
  overrides: pulumi.Output<Overrides>;
}

type ServiceInputs = { kubeconfig: pulumi.Input<string>; charts?: pulumi.Input<string> | undefined; overrides?: pulumi.Input<string> | undefined };

export function serviceContext(name: string, inputs: ServiceInputs, parent: pulumi.Resource): ServiceContext {
  const provider = new k8s.Provider(name, { kubeconfig: inputs.kubeconfig }, { parent });
  return {
    opts: { parent, provider },
    charts: pulumi.output(inputs.charts).apply((c) => c || undefined),
    overrides: pulumi.output(inputs.overrides).apply((t) => (t ? (JSON.parse(t) as Overrides) : {})),
  };
}

export function namespace(name: string, ctx: ServiceContext): k8s.core.v1.Namespace {
  return new k8s.core.v1.Namespace(name, { metadata: { name, labels: { "app.kubernetes.io/part-of": "infra-meta" } } }, ctx.opts);
}

/** A number input (templates hand integers over as numbers or text). */
export const count = (v: pulumi.Input<unknown> | undefined, d: number): pulumi.Output<number> =>
  (pulumi.output(v as pulumi.Input<string | number | undefined>) as pulumi.Output<string | number | undefined>).apply((x) =>
    x === undefined || x === null || x === "" ? d : Number(x),
  );
