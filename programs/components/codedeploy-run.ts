// A CodeDeploy blue/green deployment of an ECS service, start to end: the
// AppSpec names the new task definition and the container and port the load
// balancer sends to; CodeDeploy starts the green task set, waits for its
// health checks, moves the traffic, removes blue, and rolls back on a failure
// or an alarm (the deployment group says so). Free of Pulumi, so it is tested
// with a scripted client; the dynamic resource (aws-codedeploy.ts) runs it with
// the AWS SDK and the environment's own credentials.

export interface DeploymentInputs {
  application: string;
  deploymentGroup: string;
  taskDefinitionArn: string;
  containerName: string;
  containerPort: number;
  region: string;
}

/** The part of CodeDeployClient it uses: send(command). */
export interface CodeDeployLike {
  send(command: unknown): Promise<Record<string, any>>;
}

/** The commands, as the SDK makes them (given, so this module needs no SDK). */
export interface Commands {
  create(input: Record<string, unknown>): unknown;
  get(input: Record<string, unknown>): unknown;
}

export function appSpec(i: Pick<DeploymentInputs, "taskDefinitionArn" | "containerName" | "containerPort">): string {
  return JSON.stringify({
    version: 1,
    Resources: [
      {
        TargetService: {
          Type: "AWS::ECS::Service",
          Properties: { TaskDefinition: i.taskDefinitionArn, LoadBalancerInfo: { ContainerName: i.containerName, ContainerPort: i.containerPort } },
        },
      },
    ],
  });
}

const DONE = new Set(["Succeeded", "Failed", "Stopped"]);

/**
 * Starts the deployment and waits for it; its id when it succeeded. Otherwise it throws
 * CodeDeploy's reason, and whether CodeDeploy rolled the service back.
 */
export async function deployAndWait(
  client: CodeDeployLike,
  commands: Commands,
  i: DeploymentInputs,
  o: { pollMs?: number; timeoutMs?: number; sleep?: (ms: number) => Promise<void> } = {},
): Promise<string> {
  const sleep = o.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const created = await client.send(
    commands.create({
      applicationName: i.application,
      deploymentGroupName: i.deploymentGroup,
      description: `infra: ${i.taskDefinitionArn.split("/").pop()}`,
      revision: { revisionType: "AppSpecContent", appSpecContent: { content: appSpec(i) } },
    }),
  );
  const id = String(created.deploymentId ?? "");
  if (!id) throw new Error("CodeDeploy started no deployment (no deploymentId in its answer)");
  const until = Date.now() + (o.timeoutMs ?? 60 * 60 * 1000);
  for (;;) {
    const info = (await client.send(commands.get({ deploymentId: id }))).deploymentInfo ?? {};
    const status = String(info.status ?? "");
    if (status === "Succeeded") return id;
    if (DONE.has(status)) {
      const reason = info.errorInformation?.message ?? info.errorInformation?.code ?? "no reason given";
      const rolledBack = info.rollbackInfo?.rollbackDeploymentId ? `; rolled back by ${info.rollbackInfo.rollbackDeploymentId}` : "";
      throw new Error(`CodeDeploy deployment ${id} ${status.toLowerCase()}: ${reason}${rolledBack}`);
    }
    if (Date.now() > until) throw new Error(`CodeDeploy deployment ${id} is still ${status || "starting"} after an hour: see it in the CodeDeploy console`);
    await sleep(o.pollMs ?? 15_000);
  }
}
