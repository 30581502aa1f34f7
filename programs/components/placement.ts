// Where a component's pods run: on infra's sandbox they may ask for its real
// node (src/sandbox/node-config.ts: its label and taint infra.sandbox/real-node),
// where containers run for real, their images from the sandbox's registry.
import * as pulumi from "@pulumi/pulumi";

const REAL_NODE_PLACEMENT = {
  nodeSelector: { "infra.sandbox/real-node": "true" },
  tolerations: [{ key: "infra.sandbox/real-node", operator: "Exists", effect: "NoSchedule" }],
};

/** A pod spec's nodeSelector and tolerations: the real node's when asked, none otherwise. */
export function placement(realNode: pulumi.Input<boolean | undefined>) {
  const on = pulumi.output(realNode);
  return {
    nodeSelector: on.apply((r) => (r ? REAL_NODE_PLACEMENT.nodeSelector : undefined)),
    tolerations: on.apply((r) => (r ? REAL_NODE_PLACEMENT.tolerations : undefined)),
  };
}
