// The deployment CodeDeploy needs for an ECS service it controls: a dynamic
// resource whose update (a new task definition) starts a blue/green deployment
// of it and waits for the outcome, which becomes the resource's (and the
// operation's). Its create deploys nothing: the service was made with that task
// definition. The AWS SDK uses the environment's credentials (the default
// chain), never an argument.
import * as pulumi from "@pulumi/pulumi";
import { deployAndWait, type DeploymentInputs } from "./codedeploy-run.js";

const provider: pulumi.dynamic.ResourceProvider = {
  async create(inputs: DeploymentInputs) {
    return { id: `initial:${inputs.taskDefinitionArn}`, outs: { ...inputs, deploymentId: "" } };
  },
  async diff(_id: string, olds: DeploymentInputs, news: DeploymentInputs) {
    const changes = olds.taskDefinitionArn !== news.taskDefinitionArn || olds.containerName !== news.containerName || olds.containerPort !== news.containerPort;
    return { changes, replaces: [], deleteBeforeReplace: false };
  },
  async update(_id: string, _olds: DeploymentInputs, news: DeploymentInputs) {
    // Required here, not imported: the provider is serialized with its closure (deployAndWait
    // travels with it) and runs in the engine's Node host, where the SDK resolves by name.
    const sdk = require("@aws-sdk/client-codedeploy");
    const client = new sdk.CodeDeployClient({ region: news.region });
    const commands = { create: (i: unknown) => new sdk.CreateDeploymentCommand(i), get: (i: unknown) => new sdk.GetDeploymentCommand(i) };
    const deploymentId = await deployAndWait(client, commands, news);
    return { outs: { ...news, deploymentId } };
  },
  // Nothing to remove: the deployment is history, the service goes with its own resource.
  async delete() {},
};

export class EcsBlueGreenDeployment extends pulumi.dynamic.Resource {
  declare readonly deploymentId: pulumi.Output<string>;
  constructor(name: string, args: { [K in keyof DeploymentInputs]: pulumi.Input<DeploymentInputs[K]> }, opts?: pulumi.CustomResourceOptions) {
    super(provider, name, { ...args, deploymentId: undefined }, opts, "infra", "EcsBlueGreenDeployment");
  }
}
