// Where an environment's resources live, parsed and checked: a location is
// user input and ends up in stack names, kubeconfig lookups and cloud calls.
import { shown, UsageError } from "./errors.js";

export type Location =
  | { kind: "local" }
  | { kind: "sandbox" }
  | { kind: "kubernetes"; context?: string }
  | { kind: "gcp"; project: string; region: string }
  | { kind: "aws"; region: string }
  | { kind: "openstack"; cloud: string; region: string };

const CONTEXT = /^[A-Za-z0-9][A-Za-z0-9._@:/-]{0,252}$/;
const GCP_PROJECT = /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/;
const REGION = /^[a-z]{2,}(-[a-z0-9]+){1,3}$/;
const CLOUD = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;
const OS_REGION = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;

const USE = "use sandbox, kubernetes[:<context>], gcp:<project>/<region>, aws:<region> or openstack:<cloud>/<region>";

/**
 * Whether a recorded location is a Kubernetes cluster infra can read (the sandbox or a kubeconfig
 * context): its objects can be judged and listed. A recorded location was checked when it was given.
 */
export const isCluster = (location: string): boolean => {
  const kind = location.split(":")[0];
  return kind === "sandbox" || kind === "kubernetes";
};

export function parseLocation(text: string): Location {
  const bad = (why: string): never => {
    throw new UsageError(why, { field: "location", value: shown(text) });
  };
  const colon = text.indexOf(":");
  const kind = colon < 0 ? text : text.slice(0, colon);
  const rest = colon < 0 ? undefined : text.slice(colon + 1);
  switch (kind) {
    case "local":
    case "sandbox":
      if (rest !== undefined) bad(`${kind} takes nothing after it; ${USE}`);
      return { kind };
    case "kubernetes":
      if (rest === undefined || rest === "") return { kind };
      if (!CONTEXT.test(rest)) bad("that is not a kubeconfig context name");
      return { kind, context: rest };
    case "gcp": {
      const [project, region, more] = (rest ?? "").split("/");
      if (more !== undefined || !project || !region) bad("write gcp:<project>/<region>, like gcp:acme-prod/europe-west1");
      if (!GCP_PROJECT.test(project!)) bad(`${project} is not a GCP project id`);
      if (!REGION.test(region!)) bad(`${region} is not a GCP region`);
      return { kind, project: project!, region: region! };
    }
    case "aws":
      if (!rest || !REGION.test(rest)) bad("write aws:<region>, like aws:eu-west-1");
      return { kind, region: rest! };
    case "openstack": {
      const [cloud, region, more] = (rest ?? "").split("/");
      if (more !== undefined || !cloud || !region || !CLOUD.test(cloud) || !OS_REGION.test(region))
        bad("write openstack:<cloud>/<region>, like openstack:ovh/GRA11");
      return { kind, cloud: cloud!, region: region! };
    }
    default:
      return bad(`unknown location kind '${kind.slice(0, 40)}'; ${USE}`);
  }
}
