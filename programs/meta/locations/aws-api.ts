// What infra's API needs on AWS: an ECR repository for infra's image
// (immutable tags, scanned on push), an S3 bucket for its stacks' state
// (versioned, private, encrypted), and a role only its Kubernetes service
// account may take (IRSA) that may use the bucket. The push logs in with
// ECR's authorisation token for the user's own credentials.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Group } from "../../components/group.js";
import { irsaTrust } from "./aws.js";
import { API_NAMESPACE, API_SERVICE_ACCOUNT, type LocationApi } from "./types.js";

export function awsApi(name: string, oidcArn: pulumi.Output<string>, issuer: pulumi.Output<string>, tags: Record<string, string>): LocationApi {
  const parent = new Group("infra:meta:AwsApi", `${name}-api`);
  const opts = { parent };
  const repo = new aws.ecr.Repository(
    `${name}-images`,
    {
      name: `${name}-infra/infra`,
      imageTagMutability: "IMMUTABLE",
      imageScanningConfiguration: { scanOnPush: true },
      encryptionConfigurations: [{ encryptionType: "KMS" }],
      tags,
    },
    opts,
  );
  // Bucket names are global: AWS makes one from the prefix.
  const bucket = new aws.s3.BucketV2(`${name}-state`, { bucketPrefix: `infra-${name}-state-`, forceDestroy: false, tags }, { ...opts, protect: true });
  new aws.s3.BucketVersioningV2(`${name}-state`, { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } }, opts);
  new aws.s3.BucketPublicAccessBlock(
    `${name}-state`,
    { bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
    opts,
  );
  new aws.s3.BucketServerSideEncryptionConfigurationV2(
    `${name}-state`,
    { bucket: bucket.id, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms" }, bucketKeyEnabled: true }] },
    opts,
  );
  const role = new aws.iam.Role(
    `${name}-api`,
    { assumeRolePolicy: irsaTrust(oidcArn, issuer, `system:serviceaccount:${API_NAMESPACE}:${API_SERVICE_ACCOUNT}`), tags },
    opts,
  );
  new aws.iam.RolePolicy(
    `${name}-api-state`,
    {
      role: role.id,
      policy: bucket.arn.apply((arn) =>
        JSON.stringify({
          Version: "2012-10-17",
          Statement: [
            { Effect: "Allow", Action: ["s3:ListBucket", "s3:GetBucketLocation"], Resource: arn },
            { Effect: "Allow", Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"], Resource: `${arn}/*` },
          ],
        }),
      ),
    },
    opts,
  );
  const token = aws.ecr.getAuthorizationTokenOutput({ registryId: repo.registryId }, { parent });
  parent.finish({ repository: repo.repositoryUrl, bucket: bucket.bucket });
  return {
    repository: repo.repositoryUrl,
    login: pulumi.secret(pulumi.all([token.userName, token.password]).apply(([username, password]) => ({ username, password }))),
    stateBackend: pulumi.interpolate`s3://${bucket.bucket}?region=${aws.getRegionOutput({}, { parent }).name}`,
    serviceAccountAnnotations: role.arn.apply((arn): Record<string, string> => ({ "eks.amazonaws.com/role-arn": arn })),
  };
}
