import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import type { Inputs } from "./inputs.js";

/**
 * Resource options for a component's Kubernetes objects: one provider per
 * component for its `kubeconfig` input (the meta environment's, or a
 * cluster the template made), or the ambient kubeconfig without one.
 */
export function kubeOptions(name: string, inputs: Inputs, parent: pulumi.Resource): pulumi.CustomResourceOptions {
  if (inputs.kubeconfig === undefined) return { parent };
  const provider = new k8s.Provider(name, { kubeconfig: inputs.kubeconfig as pulumi.Input<string> }, { parent });
  return { parent, provider };
}
