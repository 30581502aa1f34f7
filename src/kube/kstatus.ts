// Whether a Kubernetes object is where it should be, by the rules of
// kstatus (sigs.k8s.io/cli-utils pkg/kstatus): Current, InProgress or Failed,
// with a one-line reason. First what holds for every kind (being deleted, a
// generation the controller has not observed yet, the Reconciling and Stalled
// conditions), then each built-in kind's own fields; a kind with no rule is
// Current once it exists, or follows its Ready condition when it has one, so
// nothing is "in progress" for ever.
export type KStatus = "Current" | "InProgress" | "Failed";

export interface Judgement {
  status: KStatus;
  reason: string;
}

type Condition = { type?: string; status?: string; reason?: string; message?: string };
type Obj = {
  kind?: string;
  metadata?: { generation?: number; deletionTimestamp?: string };
  spec?: Record<string, unknown>;
  status?: Record<string, unknown> & { conditions?: Condition[]; observedGeneration?: number };
};

const num = (v: unknown, fallback = 0) => (typeof v === "number" ? v : fallback);
const condition = (o: Obj, type: string) => o.status?.conditions?.find((c) => c.type === type);
const isTrue = (c?: Condition) => c?.status === "True";
const current = (reason = "as declared"): Judgement => ({ status: "Current", reason });
const progress = (reason: string): Judgement => ({ status: "InProgress", reason });
const failed = (reason: string): Judgement => ({ status: "Failed", reason });

function generic(o: Obj): Judgement | undefined {
  if (o.metadata?.deletionTimestamp) return progress("being deleted");
  const seen = o.status?.observedGeneration;
  const gen = o.metadata?.generation;
  if (typeof seen === "number" && typeof gen === "number" && seen !== gen) return progress(`generation ${gen} not yet observed (${seen})`);
  const stalled = condition(o, "Stalled");
  if (isTrue(stalled)) return failed(stalled?.message || stalled?.reason || "stalled");
  const reconciling = condition(o, "Reconciling");
  if (isTrue(reconciling)) return progress(reconciling?.message || reconciling?.reason || "reconciling");
  return undefined;
}

/** The replica counts a workload reports against the count it wants, first shortfall first. */
function replicas(want: number, counts: [string, unknown][]): Judgement {
  for (const [name, have] of counts) if (num(have) < want) return progress(`${name}: ${num(have)}/${want}`);
  return current(`${want}/${want} ready`);
}

function deployment(o: Obj): Judgement {
  const p = condition(o, "Progressing");
  if (p?.reason === "ProgressDeadlineExceeded") return failed(p.message || "progress deadline exceeded");
  const want = num(o.spec?.replicas, 1);
  const s = o.status ?? {};
  if (num(s.replicas) > want) return progress(`${num(s.replicas) - want} old replicas pending termination`);
  const r = replicas(want, [
    ["updated", s.updatedReplicas],
    ["ready", s.readyReplicas],
    ["available", s.availableReplicas],
  ]);
  if (r.status !== "Current") return r;
  const available = condition(o, "Available");
  return available && !isTrue(available) ? progress(available.message || "not available") : r;
}

function statefulSet(o: Obj): Judgement {
  const want = num(o.spec?.replicas, 1);
  const s = o.status ?? {};
  const r = replicas(want, [
    ["ready", s.readyReplicas],
    ["current", s.currentReplicas],
  ]);
  if (r.status !== "Current") return r;
  if ((o.spec?.updateStrategy as { type?: string } | undefined)?.type !== "OnDelete" && s.updateRevision && s.currentRevision !== s.updateRevision) {
    return progress(`revision ${String(s.updateRevision)} rolling out`);
  }
  return r;
}

function daemonSet(o: Obj): Judgement {
  const s = o.status ?? {};
  if (typeof s.desiredNumberScheduled !== "number") return progress("not yet scheduled");
  return replicas(s.desiredNumberScheduled, [
    ["scheduled", s.currentNumberScheduled],
    ["updated", s.updatedNumberScheduled],
    ["available", s.numberAvailable],
    ["ready", s.numberReady],
  ]);
}

function pod(o: Obj): Judgement {
  const phase = o.status?.phase;
  if (phase === "Succeeded") return current("completed");
  if (phase === "Failed") return failed(String(o.status?.reason ?? "failed"));
  const statuses = (o.status?.containerStatuses ?? []) as { name?: string; state?: { waiting?: { reason?: string } } }[];
  const crash = statuses.find((c) => c.state?.waiting?.reason === "CrashLoopBackOff" || c.state?.waiting?.reason === "ImagePullBackOff");
  if (crash) return failed(`container ${crash.name}: ${crash.state!.waiting!.reason}`);
  return phase === "Running" && isTrue(condition(o, "Ready")) ? current("running and ready") : progress(`${String(phase ?? "pending")}, not ready`);
}

function job(o: Obj): Judgement {
  const f = condition(o, "Failed");
  if (isTrue(f)) return failed(f?.message || f?.reason || "failed");
  if (isTrue(condition(o, "Complete"))) return current("complete");
  return progress(`${num(o.status?.active)} active, ${num(o.status?.succeeded)} succeeded`);
}

/** kstatus's judgement of one object as the API server holds it. */
export function kstatus(o: Obj): Judgement {
  const g = generic(o);
  if (g) return g;
  switch (o.kind) {
    case "Deployment":
      return deployment(o);
    case "StatefulSet":
      return statefulSet(o);
    case "DaemonSet":
      return daemonSet(o);
    case "ReplicaSet":
      return replicas(num(o.spec?.replicas, 1), [
        ["ready", o.status?.readyReplicas],
        ["available", o.status?.availableReplicas],
      ]);
    case "Pod":
      return pod(o);
    case "Job":
      return job(o);
    case "PersistentVolumeClaim":
      return o.status?.phase === "Bound" ? current("bound") : progress(`${String(o.status?.phase ?? "pending")}, not bound`);
    case "Service": {
      const lb = (o.status?.loadBalancer as { ingress?: unknown[] } | undefined)?.ingress ?? [];
      return o.spec?.type === "LoadBalancer" && !lb.length ? progress("no load balancer address yet") : current();
    }
    case "CustomResourceDefinition": {
      if (condition(o, "NamesAccepted")?.status === "False") return failed(condition(o, "NamesAccepted")?.message || "names not accepted");
      return isTrue(condition(o, "Established")) ? current("established") : progress("not established");
    }
    default: {
      const ready = condition(o, "Ready");
      if (!ready) return current("exists");
      return isTrue(ready) ? current("ready") : progress(ready.message || ready.reason || "not ready");
    }
  }
}
