import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";

/**
 * Resource options for a component's Kubernetes objects: one provider per
 * component for its `kubeconfig` input (the meta environment's, or a
 * cluster the template made), or the ambient kubeconfig without one.
 */
export function kubeOptions(name: string, inputs: { kubeconfig?: pulumi.Input<string> | undefined }, parent: pulumi.Resource): pulumi.CustomResourceOptions {
  if (inputs.kubeconfig === undefined) return { parent };
  const provider = new k8s.Provider(name, { kubeconfig: inputs.kubeconfig }, { parent });
  return { parent, provider };
}
