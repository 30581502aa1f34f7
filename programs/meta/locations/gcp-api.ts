// What infra's API needs on GCP: an Artifact Registry repository for infra's
// image, a bucket for its stacks' state (versioned, private), and a Google
// service account its Kubernetes one acts as (workload identity) that may
// use the bucket. The push logs in with the user's own access token.
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { Group } from "../../components/group.js";
import { API_NAMESPACE, API_SERVICE_ACCOUNT, type LocationApi } from "./types.js";

/** The state bucket's name: one per project and meta environment, lower case as GCS wants. */
export const gcpStateBucket = (project: string, name: string) => `${project}-infra-${name}-state`.toLowerCase().slice(0, 63);

export function gcpApi(name: string, project: string, region: string): LocationApi {
  const parent = new Group("infra:meta:GcpApi", `${name}-api`);
  const opts = { parent };
  const repo = new gcp.artifactregistry.Repository(
    `${name}-images`,
    { project, location: region, repositoryId: `${name}-infra`, format: "DOCKER", description: "infra's own image (infra bootstrap pushes it)" },
    opts,
  );
  const bucket = new gcp.storage.Bucket(
    `${name}-state`,
    {
      project,
      location: region,
      name: gcpStateBucket(project, name),
      uniformBucketLevelAccess: true,
      publicAccessPrevention: "enforced",
      versioning: { enabled: true },
      // The environments' state: a destroy of meta must not take it.
      forceDestroy: false,
    },
    { ...opts, protect: true },
  );
  const sa = new gcp.serviceaccount.Account(
    `${name}-api`,
    { project, accountId: `${name}-infra-api`.slice(0, 30), displayName: "infra API (infra meta): its stacks' state" },
    opts,
  );
  new gcp.storage.BucketIAMMember(
    `${name}-api-state`,
    { bucket: bucket.name, role: "roles/storage.objectAdmin", member: pulumi.interpolate`serviceAccount:${sa.email}` },
    opts,
  );
  new gcp.serviceaccount.IAMMember(
    `${name}-api-wi`,
    {
      serviceAccountId: sa.name,
      role: "roles/iam.workloadIdentityUser",
      member: `serviceAccount:${project}.svc.id.goog[${API_NAMESPACE}/${API_SERVICE_ACCOUNT}]`,
    },
    opts,
  );
  // The bootstrapping user's credentials (Application Default Credentials), as `gcloud auth configure-docker` would use them.
  const client = gcp.organizations.getClientConfigOutput({ parent });
  parent.finish({ repository: repo.id, bucket: bucket.url });
  return {
    repository: pulumi.interpolate`${region}-docker.pkg.dev/${project}/${repo.repositoryId}/infra`,
    login: pulumi.secret(client.accessToken.apply((password) => ({ username: "oauth2accesstoken", password }))),
    stateBackend: pulumi.interpolate`gs://${bucket.name}`,
    serviceAccountAnnotations: sa.email.apply((email): Record<string, string> => ({ "iam.gke.io/gcp-service-account": email })),
  };
}
