// kstatus's rules, kind by kind: Current, InProgress or Failed, with the reason.
import { describe, expect, it } from "vitest";
import { kstatus } from "../../../src/kube/kstatus.js";

const deployment = (spec: number, status: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  kind: "Deployment",
  metadata: { generation: 2 },
  spec: { replicas: spec },
  status: { observedGeneration: 2, ...status },
  ...extra,
});

describe("kstatus", () => {
  it("every kind: being deleted, a generation not yet observed, Stalled and Reconciling", () => {
    expect(kstatus({ kind: "ConfigMap", metadata: { deletionTimestamp: "2026-12-01T00:00:00Z" } })).toEqual({ status: "InProgress", reason: "being deleted" });
    expect(kstatus(deployment(1, { observedGeneration: 1 }))).toEqual({ status: "InProgress", reason: "generation 2 not yet observed (1)" });
    expect(kstatus({ kind: "Widget", status: { conditions: [{ type: "Stalled", status: "True", message: "bad spec" }] } })).toEqual({
      status: "Failed",
      reason: "bad spec",
    });
    expect(kstatus({ kind: "Widget", status: { conditions: [{ type: "Reconciling", status: "True", reason: "Working" }] } }).status).toBe("InProgress");
  });

  it("a Deployment: each shortfall, old replicas, the progress deadline, then Current", () => {
    expect(kstatus(deployment(3, { replicas: 3, updatedReplicas: 3, readyReplicas: 3, availableReplicas: 3 }))).toEqual({
      status: "Current",
      reason: "3/3 ready",
    });
    expect(kstatus(deployment(3, { replicas: 3, updatedReplicas: 2, readyReplicas: 3, availableReplicas: 3 }))).toEqual({
      status: "InProgress",
      reason: "updated: 2/3",
    });
    expect(kstatus(deployment(3, { replicas: 4, updatedReplicas: 3 }))).toEqual({ status: "InProgress", reason: "1 old replicas pending termination" });
    expect(
      kstatus(deployment(3, { conditions: [{ type: "Progressing", status: "False", reason: "ProgressDeadlineExceeded", message: "ReplicaSet timed out" }] })),
    ).toEqual({ status: "Failed", reason: "ReplicaSet timed out" });
    expect(kstatus({ kind: "Deployment", status: { replicas: 1, updatedReplicas: 1, readyReplicas: 1, availableReplicas: 1 } }).status).toBe("Current");
  });

  it("StatefulSets, DaemonSets, Pods, Jobs, claims, Services and CRDs", () => {
    expect(
      kstatus({ kind: "StatefulSet", spec: { replicas: 2 }, status: { readyReplicas: 2, currentReplicas: 2, currentRevision: "a", updateRevision: "b" } }),
    ).toEqual({
      status: "InProgress",
      reason: "revision b rolling out",
    });
    expect(
      kstatus({
        kind: "DaemonSet",
        status: { desiredNumberScheduled: 2, currentNumberScheduled: 2, updatedNumberScheduled: 2, numberAvailable: 1, numberReady: 2 },
      }),
    ).toEqual({
      status: "InProgress",
      reason: "available: 1/2",
    });
    expect(kstatus({ kind: "DaemonSet", status: {} }).status).toBe("InProgress");
    expect(kstatus({ kind: "Pod", status: { phase: "Running", conditions: [{ type: "Ready", status: "True" }] } }).status).toBe("Current");
    expect(
      kstatus({ kind: "Pod", status: { phase: "Pending", containerStatuses: [{ name: "web", state: { waiting: { reason: "CrashLoopBackOff" } } }] } }),
    ).toEqual({
      status: "Failed",
      reason: "container web: CrashLoopBackOff",
    });
    expect(kstatus({ kind: "Job", status: { conditions: [{ type: "Complete", status: "True" }] } }).status).toBe("Current");
    expect(kstatus({ kind: "Job", status: { conditions: [{ type: "Failed", status: "True", reason: "BackoffLimitExceeded" }] } })).toEqual({
      status: "Failed",
      reason: "BackoffLimitExceeded",
    });
    expect(kstatus({ kind: "PersistentVolumeClaim", status: { phase: "Pending" } })).toEqual({ status: "InProgress", reason: "Pending, not bound" });
    expect(kstatus({ kind: "Service", spec: { type: "LoadBalancer" }, status: {} }).status).toBe("InProgress");
    expect(kstatus({ kind: "Service", spec: { type: "ClusterIP" } }).status).toBe("Current");
    expect(kstatus({ kind: "CustomResourceDefinition", status: { conditions: [{ type: "Established", status: "True" }] } }).status).toBe("Current");
  });

  it("a kind with no rule: Current once it exists, or as its Ready condition says", () => {
    expect(kstatus({ kind: "ConfigMap" })).toEqual({ status: "Current", reason: "exists" });
    expect(kstatus({ kind: "Certificate", status: { conditions: [{ type: "Ready", status: "False", message: "issuing" }] } })).toEqual({
      status: "InProgress",
      reason: "issuing",
    });
  });
});
