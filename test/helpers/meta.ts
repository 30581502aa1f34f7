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

/** What the clouds would compute or answer, for the meta program's resources and calls under the mocks. */
export const CLOUD_MOCKS = {
  computed: {
    "random:index/randomBytes:RandomBytes": () => ({ base64: "Z29zc2lwLWtleQ==" }),
    "random:index/randomPassword:RandomPassword": () => ({ result: "k3s-token-value" }),
    "gcp:container/cluster:Cluster": () => ({ endpoint: "34.1.2.3", masterAuth: { clusterCaCertificate: "Q0E=" } }),
    "gcp:serviceaccount/account:Account": () => ({ email: "meta-vault@acme-prod.iam.gserviceaccount.com" }),
    "gcp:kms/keyRing:KeyRing": () => ({ name: "meta" }),
    "gcp:kms/cryptoKey:CryptoKey": () => ({ name: "vault" }),
    "gcp:storage/bucket:Bucket": (_n: string, i: Record<string, unknown>) => ({ url: `gs://${i.name}` }),
    "aws:eks/cluster:Cluster": () => ({
      endpoint: "https://ABC.gr7.eu-west-1.eks.amazonaws.com",
      certificateAuthority: { data: "Q0E=" },
      identities: [{ oidcs: [{ issuer: "https://oidc.eks.eu-west-1.amazonaws.com/id/ABC" }] }],
      name: "meta-eks",
    }),
    "aws:iam/openIdConnectProvider:OpenIdConnectProvider": () => ({ arn: "arn:aws:iam::123:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC" }),
    "aws:kms/key:Key": () => ({ arn: "arn:aws:kms:eu-west-1:123:key/k", keyId: "k" }),
    "aws:iam/role:Role": (n: string) => ({ arn: `arn:aws:iam::123:role/${n}` }),
    "aws:ecr/repository:Repository": (_n: string, i: Record<string, unknown>) => ({
      repositoryUrl: `123.dkr.ecr.eu-west-1.amazonaws.com/${i.name}`,
      registryId: "123",
    }),
    "aws:s3/bucketV2:BucketV2": () => ({ bucket: "infra-cluster-state-20261202", arn: "arn:aws:s3:::infra-cluster-state-20261202" }),
    "openstack:identity/ec2CredentialV3:Ec2CredentialV3": () => ({ access: "ec2-access-id", secret: "ec2-secret-key" }),
    "openstack:networking/floatingIp:FloatingIp": () => ({ address: "51.0.0.7" }),
    "openstack:compute/instance:Instance": (n: string) => ({ accessIpV4: `10.30.0.${n.slice(-1) === "0" ? 10 : 11}` }),
    "tls:index/selfSignedCert:SelfSignedCert": () => ({ certPem: "-----BEGIN CERTIFICATE-----\nCA\n-----END CERTIFICATE-----\n" }),
    "tls:index/privateKey:PrivateKey": () => ({ privateKeyPem: "-----BEGIN PRIVATE KEY-----\nKEY\n-----END PRIVATE KEY-----\n" }),
    "tls:index/locallySignedCert:LocallySignedCert": () => ({ certPem: "-----BEGIN CERTIFICATE-----\nADMIN\n-----END CERTIFICATE-----\n" }),
  },
  calls: {
    "gcp:organizations/getClientConfig:getClientConfig": () => ({ accessToken: "ya29.user-access-token" }),
    "aws:ecr/getAuthorizationToken:getAuthorizationToken": () => ({ userName: "AWS", password: "ecr-push-token" }),
    "aws:index/getRegion:getRegion": () => ({ name: "eu-west-1" }),
    "aws:index/getAvailabilityZones:getAvailabilityZones": () => ({ names: ["eu-west-1a", "eu-west-1b", "eu-west-1c"], zoneIds: ["a", "b", "c"] }),
  },
};
