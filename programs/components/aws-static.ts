// A static frontend: a private S3 bucket served by CloudFront through an
// origin access control, HTTPS only (seed 001's frontend).
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Group } from "./group.js";
import type { ComponentFactory } from "./types.js";

/** AWS's managed "CachingOptimized" cache policy. */
const CACHING_OPTIMIZED = "658327ea-f89d-4fab-a63d-7e88639e58f6";

export const staticSite: ComponentFactory = (name) => {
  const parent = new Group("infra:aws:StaticSite", name);
  const opts = { parent };
  const bucket = new aws.s3.Bucket(name, { forceDestroy: true }, opts);
  new aws.s3.BucketPublicAccessBlock(
    name,
    {
      bucket: bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    },
    opts,
  );
  const oac = new aws.cloudfront.OriginAccessControl(
    name,
    {
      originAccessControlOriginType: "s3",
      signingBehavior: "always",
      signingProtocol: "sigv4",
    },
    opts,
  );
  const cdn = new aws.cloudfront.Distribution(
    name,
    {
      enabled: true,
      defaultRootObject: "index.html",
      origins: [{ domainName: bucket.bucketRegionalDomainName, originId: "site", originAccessControlId: oac.id }],
      defaultCacheBehavior: {
        targetOriginId: "site",
        viewerProtocolPolicy: "redirect-to-https",
        allowedMethods: ["GET", "HEAD"],
        cachedMethods: ["GET", "HEAD"],
        cachePolicyId: CACHING_OPTIMIZED,
        compress: true,
      },
      restrictions: { geoRestriction: { restrictionType: "none" } },
      viewerCertificate: { cloudfrontDefaultCertificate: true },
    },
    opts,
  );
  // Only this distribution may read the bucket.
  new aws.s3.BucketPolicy(
    name,
    {
      bucket: bucket.id,
      policy: pulumi.all([bucket.arn, cdn.arn]).apply(([b, d]) =>
        JSON.stringify({
          Version: "2012-10-17",
          Statement: [
            {
              Effect: "Allow",
              Principal: { Service: "cloudfront.amazonaws.com" },
              Action: "s3:GetObject",
              Resource: `${b}/*`,
              Condition: { StringEquals: { "AWS:SourceArn": d } },
            },
          ],
        }),
      ),
    },
    opts,
  );
  const url = pulumi.interpolate`https://${cdn.domainName}`;
  parent.finish({ url });
  return { url, bucket: bucket.bucket, distributionId: cdn.id };
};
