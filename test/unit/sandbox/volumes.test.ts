// The sandbox's volume provisioner's plan: a volume for each pending claim of
// its class, on a folder of the sandbox named after the volume; ours removed
// once released, and never a path it did not make.
import { describe, expect, it } from "vitest";
import { type ClaimObject, planVolumes, PROVISIONER, type VolumeObject } from "../../../src/sandbox/volumes.js";

const claim = (name: string, uid: string, extra: Partial<ClaimObject["spec"]> = {}, phase = "Pending"): ClaimObject => ({
  metadata: { name, namespace: "shop", uid },
  spec: { storageClassName: "standard", accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "2Gi" } }, ...extra },
  status: { phase },
});
const ours = (name: string, phase: string, path = `/sb/volumes/${name}`): VolumeObject => ({
  metadata: { name, annotations: { "pv.kubernetes.io/provisioned-by": PROVISIONER } },
  spec: { hostPath: { path } },
  status: { phase },
});

describe("planVolumes", () => {
  it("makes a volume bound to each pending claim of the class, on its own folder", () => {
    const plan = planVolumes(
      [claim("data", "u1"), claim("other", "u2", { storageClassName: "fast" }), claim("bound", "u3", { volumeName: "pv-x" }, "Bound")],
      [],
      "/sb/volumes",
    );
    expect(plan.remove).toEqual([]);
    expect(plan.create).toHaveLength(1);
    expect(plan.create[0]!.path).toBe("/sb/volumes/pvc-u1");
    expect(plan.create[0]!.volume).toMatchObject({
      metadata: { name: "pvc-u1", annotations: { "pv.kubernetes.io/provisioned-by": PROVISIONER } },
      spec: {
        capacity: { storage: "2Gi" },
        accessModes: ["ReadWriteOnce"],
        persistentVolumeReclaimPolicy: "Delete",
        storageClassName: "standard",
        claimRef: { namespace: "shop", name: "data", uid: "u1" },
        hostPath: { path: "/sb/volumes/pvc-u1", type: "Directory" },
      },
    });
  });

  it("makes a volume once: one that exists for the claim is left to bind", () => {
    expect(planVolumes([claim("data", "u1")], [ours("pvc-u1", "Available")], "/sb/volumes").create).toEqual([]);
  });

  it("removes its own released volumes, and nothing another provisioner made or that points elsewhere", () => {
    const theirs: VolumeObject = { metadata: { name: "pvc-t" }, spec: { hostPath: { path: "/sb/volumes/pvc-t" } }, status: { phase: "Released" } };
    const plan = planVolumes([], [ours("pvc-a", "Released"), ours("pvc-b", "Bound"), ours("pvc-c", "Released", "/etc"), theirs], "/sb/volumes");
    expect(plan.remove).toEqual([{ name: "pvc-a", path: "/sb/volumes/pvc-a" }]);
  });
});
