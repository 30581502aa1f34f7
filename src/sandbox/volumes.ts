// The sandbox's volume provisioner, for claims of its StorageClass
// `standard`, run in the sandbox's guard process beside the ingress. Each
// claim gets a PersistentVolume on a folder of its own under the sandbox's
// (volumes/<volume>), writable by any user as kind's local-path provisioner
// makes them: a pod's non-root user (PostgreSQL's 999, infra's 65532) writes
// there. The controller-manager's host-path provisioner it replaces made
// root-owned 0750 folders under /tmp, which no such user could write and
// every sandbox on the machine shared. A claim deleted, its volume's folder
// and the PersistentVolume go (the class's reclaim policy is Delete).
import { chmodSync, mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { Kube } from "./kube.js";
import { pkiPaths } from "./pki.js";

export const PROVISIONER = "infra.sandbox/host-path";
export const STORAGE_CLASS_NAME = "standard";
const PROVISIONED_BY = "pv.kubernetes.io/provisioned-by";

export interface ClaimObject {
  metadata: { name: string; namespace: string; uid: string };
  spec: { storageClassName?: string; volumeName?: string; accessModes?: string[]; resources?: { requests?: { storage?: string } }; volumeMode?: string };
  status?: { phase?: string };
}

export interface VolumeObject {
  metadata: { name: string; annotations?: Record<string, string> };
  spec: { hostPath?: { path: string } };
  status?: { phase?: string };
}

/** What to make and what to remove, from what the API server holds: no I/O. */
export function planVolumes(claims: ClaimObject[], volumes: VolumeObject[], dir: string) {
  const existing = new Set(volumes.map((v) => v.metadata.name));
  const create = claims
    .filter((c) => c.spec.storageClassName === STORAGE_CLASS_NAME && !c.spec.volumeName && c.status?.phase !== "Bound")
    .map((c) => {
      const name = `pvc-${c.metadata.uid}`;
      return {
        path: join(dir, name),
        volume: {
          apiVersion: "v1",
          kind: "PersistentVolume",
          metadata: { name, annotations: { [PROVISIONED_BY]: PROVISIONER } },
          spec: {
            capacity: { storage: c.spec.resources?.requests?.storage ?? "1Gi" },
            accessModes: c.spec.accessModes?.length ? c.spec.accessModes : ["ReadWriteOnce"],
            ...(c.spec.volumeMode && { volumeMode: c.spec.volumeMode }),
            persistentVolumeReclaimPolicy: "Delete",
            storageClassName: STORAGE_CLASS_NAME,
            claimRef: { apiVersion: "v1", kind: "PersistentVolumeClaim", namespace: c.metadata.namespace, name: c.metadata.name, uid: c.metadata.uid },
            hostPath: { path: join(dir, name), type: "Directory" },
          },
        },
      };
    })
    .filter((x) => !existing.has(x.volume.metadata.name));
  // Ours only, and only a folder under the sandbox's: never a path another provisioner or a person chose.
  const remove = volumes
    .filter((v) => v.metadata.annotations?.[PROVISIONED_BY] === PROVISIONER && v.status?.phase === "Released")
    .filter((v) => v.spec.hostPath?.path === join(dir, v.metadata.name))
    .map((v) => ({ name: v.metadata.name, path: join(dir, v.metadata.name) }));
  return { create, remove };
}

export interface VolumesConfig {
  apiserverPort: number;
  pkiDir: string;
  /** The folder volumes are made in (the sandbox's volumes/). */
  dir: string;
  refreshMs?: number;
}

export function startVolumes(c: VolumesConfig, log: (entry: Record<string, unknown>) => void): { close(): void } {
  const kube = new Kube(c.apiserverPort, pkiPaths(c.pkiDir));
  mkdirSync(c.dir, { recursive: true, mode: 0o711 });
  let busy = false;
  const refresh = async () => {
    if (busy) return;
    busy = true;
    try {
      const [pvc, pv] = await Promise.all([kube.call("GET", "/api/v1/persistentvolumeclaims"), kube.call("GET", "/api/v1/persistentvolumes")]);
      if (pvc.status !== 200 || pv.status !== 200) return;
      const plan = planVolumes(pvc.json<{ items: ClaimObject[] }>().items, pv.json<{ items: VolumeObject[] }>().items, c.dir);
      for (const x of plan.create) {
        mkdirSync(x.path, { recursive: true });
        // mkdir's mode passes through the umask: set it after.
        chmodSync(x.path, 0o777);
        const r = await kube.call("POST", "/api/v1/persistentvolumes", x.volume);
        if (r.status === 201)
          log({
            level: "info",
            msg: `volume ${x.volume.metadata.name} for claim ${x.volume.spec.claimRef.namespace}/${x.volume.spec.claimRef.name} at ${x.path}`,
          });
      }
      for (const x of plan.remove) {
        rmSync(x.path, { recursive: true, force: true });
        const r = await kube.call("DELETE", `/api/v1/persistentvolumes/${encodeURIComponent(x.name)}`);
        if (r.status === 200 || r.status === 404) log({ level: "info", msg: `volume ${x.name} removed (its claim is gone)` });
      }
    } catch {
      // The API server is starting or stopping: next time.
    } finally {
      busy = false;
    }
  };
  void refresh();
  const timer = setInterval(refresh, c.refreshMs ?? 1000);
  return { close: () => clearInterval(timer) };
}
