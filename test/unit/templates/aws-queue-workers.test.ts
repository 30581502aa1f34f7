// The aws-queue-workers template (seed 001), with Pulumi's mocks.
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { packageRoot } from "../../../src/core/package-root.js";
import { loadTemplateFile } from "../../../src/templates/load.js";
import { runTemplate, type Declared, type MockOptions } from "../../helpers/mocks.js";

const template = loadTemplateFile(join(packageRoot(), "templates", "aws-queue-workers", "1.0.0.yaml"), "builtin");
let r: Awaited<ReturnType<typeof runTemplate>>;
let values: Record<string, unknown>;
const all = (type: string) => r.all(type);
const one = (type: string, name?: string): Declared => r.one(type, name);

async function run(config: Record<string, string>) {
  const mocks: MockOptions = {
    calls: {
      "aws:index/getAvailabilityZones:getAvailabilityZones": () => ({ names: ["eu-west-1a", "eu-west-1b", "eu-west-1c"], zoneIds: [] }),
      "aws:index/getRegion:getRegion": () => ({ name: "eu-west-1", region: "eu-west-1" }),
    },
    computed: {
      "aws:sqs/queue:Queue": (n) => ({ name: n, arn: `arn:aws:sqs:eu-west-1:1:${n}`, url: `https://sqs.eu-west-1.amazonaws.com/1/${n}` }),
      "aws:ecs/cluster:Cluster": (n) => ({ name: n }),
      "aws:ecs/service:Service": (n) => ({ name: n }),
      "aws:lb/loadBalancer:LoadBalancer": () => ({ dnsName: "api-123.eu-west-1.elb.amazonaws.com", arnSuffix: "app/api/123", arn: "arn:alb" }),
      "aws:lb/targetGroup:TargetGroup": (n) => ({ name: n, arn: `arn:tg:${n}` }),
      "aws:cloudfront/distribution:Distribution": () => ({ domainName: "d111.cloudfront.net", arn: "arn:cf" }),
      "aws:s3/bucket:Bucket": (n) => ({ bucket: `${n}-bucket`, arn: `arn:aws:s3:::${n}-bucket`, bucketRegionalDomainName: `${n}.s3.eu-west-1.amazonaws.com` }),
      "aws:sns/topic:Topic": () => ({ arn: "arn:sns:alarms" }),
      "aws:appautoscaling/target:Target": () => ({ serviceNamespace: "ecs", scalableDimension: "ecs:service:DesiredCount" }),
    },
  };
  const base = {
    apiImage: "1.dkr.ecr/api:1.8.0",
    workerImage: "1.dkr.ecr/runner:2.0.1",
    azCount: "2",
    maxReceiveCount: "5",
    apiTasks: "2",
    minWorkers: "1",
    maxWorkers: "10",
    messagesPerWorker: "10",
  };
  r = await runTemplate(template.spec, "stage", { ...base, ...config }, mocks);
  values = r.values;
}

describe("aws-queue-workers over two availability zones", () => {
  beforeAll(() => run({}));

  it("spreads public and private subnets over 2 AZs, each private one behind its own NAT gateway", () => {
    const subnets = all("aws:ec2/subnet:Subnet");
    expect(subnets.filter((s) => s.inputs.tags.tier === "public").map((s) => s.inputs.availabilityZone)).toEqual(["eu-west-1a", "eu-west-1b"]);
    expect(subnets.filter((s) => s.inputs.tags.tier === "private").map((s) => s.inputs.cidrBlock)).toEqual(["10.0.100.0/24", "10.0.101.0/24"]);
    expect(all("aws:ec2/natGateway:NatGateway")).toHaveLength(2);
    const privateRoutes = all("aws:ec2/routeTable:RouteTable").filter((r) => r.name.includes("private"));
    expect(privateRoutes.map((r) => r.inputs.routes[0].natGatewayId)).toEqual(["net-0-id", "net-1-id"]);
  });

  it("queues tasks in an encrypted SQS queue that redrives to a dead-letter queue after maxReceiveCount", () => {
    const q = one("aws:sqs/queue:Queue", "tasks").inputs;
    expect(q.sqsManagedSseEnabled).toBe(true);
    expect(JSON.parse(q.redrivePolicy)).toEqual({ deadLetterTargetArn: "arn:aws:sqs:eu-west-1:1:tasks-dlq", maxReceiveCount: 5 });
    const dlqAlarm = one("aws:cloudwatch/metricAlarm:MetricAlarm", "tasks-dlq-not-empty").inputs;
    expect(dlqAlarm).toMatchObject({ metricName: "ApproximateNumberOfMessagesVisible", threshold: 0, alarmActions: ["arn:sns:alarms"] });
  });

  it("runs the API behind an ALB, deployed blue/green by CodeDeploy with automatic rollback", () => {
    expect(one("aws:ecs/cluster:Cluster").inputs.settings).toEqual([{ name: "containerInsights", value: "enabled" }]);
    const api = one("aws:ecs/service:Service", "api").inputs;
    expect(api.deploymentController).toEqual({ type: "CODE_DEPLOY" });
    expect(api.networkConfiguration).toMatchObject({ assignPublicIp: false, subnets: ["net-private-0-id", "net-private-1-id"] });
    expect(
      all("aws:lb/targetGroup:TargetGroup")
        .map((t) => t.name)
        .sort(),
    ).toEqual(["api-blue", "api-green"]);
    expect(one("aws:lb/loadBalancer:LoadBalancer").inputs.subnets).toEqual(["net-public-0-id", "net-public-1-id"]);
    const dg = one("aws:codedeploy/deploymentGroup:DeploymentGroup").inputs;
    expect(dg.deploymentStyle).toEqual({ deploymentOption: "WITH_TRAFFIC_CONTROL", deploymentType: "BLUE_GREEN" });
    expect(dg.autoRollbackConfiguration).toEqual({ enabled: true, events: ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"] });
    expect(dg.loadBalancerInfo.targetGroupPairInfo.targetGroups).toEqual([{ name: "api-blue" }, { name: "api-green" }]);
  });

  it("runs the workers with the circuit breaker and rollback, autoscaled on queue depth", () => {
    const w = one("aws:ecs/service:Service", "workers").inputs;
    expect(w.deploymentCircuitBreaker).toEqual({ enable: true, rollback: true });
    expect(w).toMatchObject({ deploymentMinimumHealthyPercent: 100, deploymentMaximumPercent: 200 });
    expect(one("aws:appautoscaling/target:Target").inputs).toMatchObject({ minCapacity: 1, maxCapacity: 10, resourceId: "service/ecs/workers" });
    const p = one("aws:appautoscaling/policy:Policy").inputs.targetTrackingScalingPolicyConfiguration;
    expect(p.targetValue).toBe(10);
    expect(p.customizedMetricSpecification).toMatchObject({
      namespace: "AWS/SQS",
      metricName: "ApproximateNumberOfMessagesVisible",
      dimensions: [{ name: "QueueName", value: "tasks" }],
    });
  });

  it("traces both services with an X-Ray sidecar and lets the task roles send traces", () => {
    for (const td of all("aws:ecs/taskDefinition:TaskDefinition")) {
      const containers = JSON.parse(td.inputs.containerDefinitions);
      expect(containers.map((c: { name: string }) => c.name)).toEqual([td.name, "xray-daemon"]);
      expect(containers[0].environment).toContainEqual({ name: "AWS_XRAY_DAEMON_ADDRESS", value: "127.0.0.1:2000" });
      expect(containers[0].environment).toContainEqual({ name: "QUEUE_URL", value: "https://sqs.eu-west-1.amazonaws.com/1/tasks" });
    }
    expect(all("aws:iam/rolePolicyAttachment:RolePolicyAttachment").filter((a) => a.inputs.policyArn.endsWith("AWSXRayDaemonWriteAccess"))).toHaveLength(2);
    const sendOnly = JSON.parse(one("aws:iam/rolePolicy:RolePolicy", "api-task").inputs.policy);
    expect(sendOnly.Statement[0].Action).toEqual(["sqs:SendMessage"]);
  });

  it("alarms on 5xx, p90 latency, and workers above 90 % CPU or memory for 10 minutes", () => {
    const alarm = (n: string) => one("aws:cloudwatch/metricAlarm:MetricAlarm", n).inputs;
    expect(alarm("api-5xx")).toMatchObject({ metricName: "HTTPCode_Target_5XX_Count", dimensions: { LoadBalancer: "app/api/123" } });
    expect(alarm("api-p90-latency")).toMatchObject({ metricName: "TargetResponseTime", extendedStatistic: "p90" });
    expect(alarm("workers-cpu")).toMatchObject({ metricName: "CPUUtilization", threshold: 90, period: 60, evaluationPeriods: 10 });
    expect(alarm("workers-memory")).toMatchObject({ metricName: "MemoryUtilization", threshold: 90 });
  });

  it("serves the frontend from a private S3 bucket through CloudFront over HTTPS only", () => {
    expect(one("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock").inputs).toMatchObject({
      blockPublicAcls: true,
      blockPublicPolicy: true,
      restrictPublicBuckets: true,
    });
    const cdn = one("aws:cloudfront/distribution:Distribution").inputs;
    expect(cdn.defaultCacheBehavior.viewerProtocolPolicy).toBe("redirect-to-https");
    expect(cdn.origins[0].originAccessControlId).toBe("frontend-id");
    const policy = JSON.parse(one("aws:s3/bucketPolicy:BucketPolicy").inputs.policy);
    expect(policy.Statement[0]).toMatchObject({
      Principal: { Service: "cloudfront.amazonaws.com" },
      Condition: { StringEquals: { "AWS:SourceArn": "arn:cf" } },
    });
    expect(values.url).toBe("https://d111.cloudfront.net");
    expect(values.api).toBe("http://api-123.eu-west-1.elb.amazonaws.com");
  });
});

describe("aws-queue-workers over three availability zones", () => {
  beforeAll(() => run({ azCount: "3" }));
  it("has a NAT gateway and a private subnet in each of the three", () => {
    expect(all("aws:ec2/natGateway:NatGateway")).toHaveLength(3);
    expect(
      all("aws:ec2/subnet:Subnet")
        .map((s) => s.inputs.availabilityZone)
        .sort(),
    ).toEqual(["eu-west-1a", "eu-west-1a", "eu-west-1b", "eu-west-1b", "eu-west-1c", "eu-west-1c"]);
  });
});
