// The meta template's parameters as a sandbox bootstrap gives them, for the mock tests.
export const META_PARAMS: Record<string, string> = {
  githubOrganisation: "acme",
  repositoryPrefix: "infra-",
  consulServers: "1",
  vaultReplicas: "1",
  ingressReplicas: "1",
  apiReplicas: "1",
  apiImage: "ghcr.io/infra/infra:1.0.0",
  apiStore: "shared",
  apiRealNode: "false",
  apiStateOnVolume: "true",
  caIssuer: "true",
  consul: "true",
  vault: "true",
  observability: "true",
  gitops: "true",
};
