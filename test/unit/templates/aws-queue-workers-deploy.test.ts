// aws-queue-workers (seed 001): a new API image ships through CodeDeploy.
// With Pulumi's mocks: the task definition and a blue/green deployment of it,
// alarms that stop a deployment; and the deployment's run itself against a
// scripted CodeDeploy (success, a failure with its reason and rollback).
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { appSpec, deployAndWait, type CodeDeployLike } from "../../../programs/components/codedeploy-run.js";
import { packageRoot } from "../../../src/core/package-root.js";
import { loadTemplateFile } from "../../../src/templates/load.js";
import { runTemplate, type MockOptions } from "../../helpers/mocks.js";

const template = loadTemplateFile(join(packageRoot(), "templates", "aws-queue-workers", "1.0.0.yaml"), "builtin");
const DYNAMIC = "pulumi-nodejs:dynamic/infra:EcsBlueGreenDeployment";

async function run(apiImage: string, revision: number) {
  const mocks: MockOptions = {
    calls: {
      "aws:index/getAvailabilityZones:getAvailabilityZones": () => ({ names: ["eu-west-1a", "eu-west-1b"], zoneIds: [] }),
      "aws:index/getRegion:getRegion": () => ({ name: "eu-west-1", region: "eu-west-1" }),
    },
    computed: {
      "aws:sqs/queue:Queue": (n) => ({ name: n, arn: `arn:aws:sqs:eu-west-1:1:${n}`, url: `https://sqs/${n}` }),
      "aws:ecs/cluster:Cluster": (n) => ({ name: n }),
      "aws:ecs/service:Service": (n) => ({ name: n }),
      "aws:ecs/taskDefinition:TaskDefinition": (n) => ({ arn: `arn:aws:ecs:eu-west-1:1:task-definition/${n}:${revision}` }),
      "aws:lb/loadBalancer:LoadBalancer": () => ({ dnsName: "api.elb", arnSuffix: "app/api/1", arn: "arn:alb" }),
      "aws:lb/targetGroup:TargetGroup": (n) => ({ name: n, arn: `arn:tg:${n}` }),
      "aws:cloudwatch/metricAlarm:MetricAlarm": (n) => ({ name: n }),
      "aws:codedeploy/application:Application": (n) => ({ name: n }),
      "aws:codedeploy/deploymentGroup:DeploymentGroup": (n) => ({ deploymentGroupName: n }),
      "aws:cloudfront/distribution:Distribution": () => ({ domainName: "d.cloudfront.net", arn: "arn:cf" }),
      "aws:s3/bucket:Bucket": (n) => ({ bucket: n, arn: `arn:aws:s3:::${n}`, bucketRegionalDomainName: `${n}.s3` }),
      "aws:sns/topic:Topic": () => ({ arn: "arn:sns:alarms" }),
      "aws:appautoscaling/target:Target": () => ({ serviceNamespace: "ecs", scalableDimension: "ecs:service:DesiredCount" }),
    },
  };
  return runTemplate(
    template.spec,
    "stage",
    {
      apiImage,
      workerImage: "1.dkr.ecr/runner:2.0.1",
      azCount: "2",
      maxReceiveCount: "5",
      apiTasks: "2",
      minWorkers: "1",
      maxWorkers: "10",
      messagesPerWorker: "10",
    },
    mocks,
  );
}

describe("aws-queue-workers ships a new API image through CodeDeploy", () => {
  it("an image change is a new task definition and a blue/green deployment of it", async () => {
    for (const [image, rev] of [
      ["1.dkr.ecr/api:1.8.0", 1],
      ["1.dkr.ecr/api:1.9.0", 2],
    ] as const) {
      const r = await run(image, rev);
      const td = r.all("aws:ecs/taskDefinition:TaskDefinition").find((d) => d.name === "api")!;
      expect(JSON.parse(td.inputs.containerDefinitions)[0]).toMatchObject({ name: "api", image });
      const deploy = r.all(DYNAMIC).find((d) => d.name === "api")!;
      expect(deploy.inputs).toMatchObject({
        application: "api",
        deploymentGroup: "api",
        taskDefinitionArn: `arn:aws:ecs:eu-west-1:1:task-definition/api:${rev}`,
        containerName: "api",
        containerPort: 8080,
        region: "eu-west-1",
      });
      // The provider's code travels with the resource: it starts and follows a CodeDeploy deployment.
      expect(String(deploy.inputs.__provider)).toContain("CreateDeploymentCommand");
      expect(String(deploy.inputs.__provider)).toContain("AppSpecContent"); // deployAndWait, captured

      // CodeDeploy owns the service's task definition; Pulumi does not fight it.
      expect(r.one("aws:ecs/service:Service", "api").inputs.deploymentController).toEqual({ type: "CODE_DEPLOY" });
    }
  });

  it("an alarm during a deployment stops it and rolls back; workers keep the rolling update with the circuit breaker", async () => {
    const r = await run("1.dkr.ecr/api:1.8.0", 1);
    const group = r.one("aws:codedeploy/deploymentGroup:DeploymentGroup").inputs;
    expect(group.alarmConfiguration).toEqual({ enabled: true, alarms: ["api-5xx", "api-p90-latency"] });
    expect(group.autoRollbackConfiguration.events).toEqual(["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"]);
    const worker = r.all("aws:ecs/service:Service").find((s) => s.name !== "api")!;
    expect(worker.inputs.deploymentCircuitBreaker).toEqual({ enable: true, rollback: true });
    expect(worker.inputs.deploymentController).toBeUndefined();
  });
});

/** A CodeDeploy that answers from a script. */
function scripted(statuses: Record<string, unknown>[]): { client: CodeDeployLike; sent: { kind: string; input: any }[] } {
  const sent: { kind: string; input: any }[] = [];
  return {
    sent,
    client: {
      async send(c: unknown) {
        const cmd = c as { kind: string; input: any };
        sent.push(cmd);
        if (cmd.kind === "create") return { deploymentId: "d-ABC123" };
        return { deploymentInfo: statuses.shift() };
      },
    },
  };
}
const commands = { create: (input: unknown) => ({ kind: "create", input }), get: (input: unknown) => ({ kind: "get", input }) };
const inputs = {
  application: "api",
  deploymentGroup: "api",
  taskDefinitionArn: "arn:aws:ecs:eu-west-1:1:task-definition/api:2",
  containerName: "api",
  containerPort: 8080,
  region: "eu-west-1",
};

describe("a CodeDeploy deployment's run", () => {
  it("sends the AppSpec of the new task definition and waits until it succeeds", async () => {
    const s = scripted([{ status: "Created" }, { status: "InProgress" }, { status: "Succeeded" }]);
    expect(await deployAndWait(s.client, commands, inputs, { sleep: async () => {} })).toBe("d-ABC123");
    const create = s.sent[0]!.input;
    expect(create).toMatchObject({ applicationName: "api", deploymentGroupName: "api", revision: { revisionType: "AppSpecContent" } });
    expect(JSON.parse(create.revision.appSpecContent.content)).toEqual({
      version: 1,
      Resources: [
        {
          TargetService: {
            Type: "AWS::ECS::Service",
            Properties: { TaskDefinition: inputs.taskDefinitionArn, LoadBalancerInfo: { ContainerName: "api", ContainerPort: 8080 } },
          },
        },
      ],
    });
    expect(s.sent.slice(1).every((c) => c.kind === "get" && c.input.deploymentId === "d-ABC123")).toBe(true);
    expect(appSpec(inputs)).toBe(create.revision.appSpecContent.content);
  });

  it("fails with CodeDeploy's reason and its rollback when the deployment fails or an alarm stops it", async () => {
    const failed = scripted([
      { status: "InProgress" },
      {
        status: "Stopped",
        errorInformation: { code: "ALARM_ACTIVE", message: "One or more alarms have been activated: api-5xx" },
        rollbackInfo: { rollbackDeploymentId: "d-ROLL1" },
      },
    ]);
    await expect(deployAndWait(failed.client, commands, inputs, { sleep: async () => {} })).rejects.toThrow(
      "CodeDeploy deployment d-ABC123 stopped: One or more alarms have been activated: api-5xx; rolled back by d-ROLL1",
    );
    const health = scripted([
      { status: "Failed", errorInformation: { code: "HEALTH_CONSTRAINTS", message: "The deployment failed because the green task set never became healthy" } },
    ]);
    await expect(deployAndWait(health.client, commands, inputs, { sleep: async () => {} })).rejects.toThrow(
      /failed: The deployment failed because the green task set/,
    );
  });
});
