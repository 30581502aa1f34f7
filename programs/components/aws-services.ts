// Seed 001's services on AWS: an SQS queue with a dead-letter queue and
// redrive; an ECS cluster; the API behind an ALB with CodeDeploy blue/green;
// the worker with the deployment circuit breaker and rollback, autoscaled on
// queue depth; X-Ray sidecars; CloudWatch alarms to an SNS topic.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { withDefaults } from "./args.js";
import { EcsBlueGreenDeployment } from "./aws-codedeploy.js";
import { apiServiceArgs, queueArgs, workerServiceArgs } from "./aws.args.js";
import { Group } from "./group.js";
import type { ComponentFactory } from "./types.js";

/** Tasks and the load balancer reach out anywhere (images, AWS APIs through NAT). */
const ALL_EGRESS = [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }];

export const queue: ComponentFactory = (name, inputs) => {
  const a = withDefaults(queueArgs, inputs);
  const parent = new Group("infra:aws:Queue", name);
  const opts = { parent };
  const dlq = new aws.sqs.Queue(`${name}-dlq`, { messageRetentionSeconds: 1_209_600, sqsManagedSseEnabled: true }, opts);
  const q = new aws.sqs.Queue(
    name,
    {
      visibilityTimeoutSeconds: a.visibilityTimeout,
      sqsManagedSseEnabled: true,
      // A task that fails maxReceiveCount times goes to the dead-letter queue.
      redrivePolicy: pulumi.all([dlq.arn, a.maxReceiveCount]).apply(([arn, n]) => JSON.stringify({ deadLetterTargetArn: arn, maxReceiveCount: n })),
    },
    opts,
  );
  const alarms = a.alarmTopic;
  new aws.cloudwatch.MetricAlarm(
    `${name}-dlq-not-empty`,
    {
      namespace: "AWS/SQS",
      metricName: "ApproximateNumberOfMessagesVisible",
      dimensions: { QueueName: dlq.name },
      statistic: "Maximum",
      period: 300,
      evaluationPeriods: 1,
      threshold: 0,
      comparisonOperator: "GreaterThanThreshold",
      alarmDescription: "tasks failed every retry and wait in the dead-letter queue",
      ...(alarms && { alarmActions: [alarms] }),
    },
    opts,
  );
  parent.finish({ url: q.url });
  return { url: q.url, arn: q.arn, name: q.name, dlqArn: dlq.arn };
};

export const cluster: ComponentFactory = (name) => {
  const parent = new Group("infra:aws:EcsCluster", name);
  const c = new aws.ecs.Cluster(name, { settings: [{ name: "containerInsights", value: "enabled" }] }, { parent });
  const alarms = new aws.sns.Topic(`${name}-alarms`, {}, { parent });
  parent.finish({ name: c.name });
  return { name: c.name, arn: c.arn, alarmTopic: alarms.arn };
};

function roles(name: string, parent: pulumi.Resource, taskPolicy: pulumi.Input<string>) {
  const assume = JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { Service: "ecs-tasks.amazonaws.com" }, Action: "sts:AssumeRole" }],
  });
  const execution = new aws.iam.Role(`${name}-execution`, { assumeRolePolicy: assume }, { parent });
  new aws.iam.RolePolicyAttachment(
    `${name}-execution`,
    { role: execution.name, policyArn: "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy" },
    { parent },
  );
  const task = new aws.iam.Role(`${name}-task`, { assumeRolePolicy: assume }, { parent });
  new aws.iam.RolePolicy(`${name}-task`, { role: task.name, policy: taskPolicy }, { parent });
  // The X-Ray sidecar sends traces with the task's role.
  new aws.iam.RolePolicyAttachment(`${name}-xray`, { role: task.name, policyArn: "arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess" }, { parent });
  return { execution, task };
}

function taskDefinition(
  name: string,
  parent: pulumi.Resource,
  inputs: { image: pulumi.Input<string>; cpu: pulumi.Input<string>; memory: pulumi.Input<string> },
  port: number | undefined,
  env: pulumi.Input<Record<string, string>>,
  taskPolicy: pulumi.Input<string>,
) {
  const r = roles(name, parent, taskPolicy);
  const logs = new aws.cloudwatch.LogGroup(name, { retentionInDays: 30 }, { parent });
  const region = aws.getRegionOutput({}, { parent }).region;
  const containers = pulumi.all([inputs.image, env, logs.name, region]).apply(([image, e, group, reg]) => {
    const log = (prefix: string) => ({ logDriver: "awslogs", options: { "awslogs-group": group, "awslogs-region": reg, "awslogs-stream-prefix": prefix } });
    return JSON.stringify([
      {
        name,
        image,
        essential: true,
        ...(port && { portMappings: [{ containerPort: port, protocol: "tcp" }] }),
        environment: Object.entries({ ...e, AWS_XRAY_DAEMON_ADDRESS: "127.0.0.1:2000" }).map(([k, v]) => ({ name: k, value: v })),
        logConfiguration: log(name),
      },
      {
        name: "xray-daemon",
        image: "public.ecr.aws/xray/aws-xray-daemon:3.3.13",
        essential: false,
        portMappings: [{ containerPort: 2000, protocol: "udp" }],
        logConfiguration: log("xray"),
      },
    ]);
  });
  return new aws.ecs.TaskDefinition(
    name,
    {
      family: name,
      cpu: inputs.cpu,
      memory: inputs.memory,
      networkMode: "awsvpc",
      requiresCompatibilities: ["FARGATE"],
      executionRoleArn: r.execution.arn,
      taskRoleArn: r.task.arn,
      containerDefinitions: containers,
    },
    { parent },
  );
}

const sqsPolicy = (arn: pulumi.Input<string>, actions: string[]) =>
  pulumi.output(arn).apply((a) => JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: actions, Resource: a }] }));

export const apiService: ComponentFactory = (name, inputs) => {
  const a = withDefaults(apiServiceArgs, inputs);
  const parent = new Group("infra:aws:ApiService", name);
  const opts = { parent };
  const port = 8080;
  const vpcId = a.vpcId;
  const albSg = new aws.ec2.SecurityGroup(
    `${name}-alb`,
    {
      vpcId,
      ingress: [80, 443].map((p) => ({ protocol: "tcp", fromPort: p, toPort: p, cidrBlocks: ["0.0.0.0/0"] })),
      egress: ALL_EGRESS,
    },
    opts,
  );
  const taskSg = new aws.ec2.SecurityGroup(
    `${name}-tasks`,
    {
      vpcId,
      ingress: [{ protocol: "tcp", fromPort: port, toPort: port, securityGroups: [albSg.id] }],
      egress: ALL_EGRESS,
    },
    opts,
  );
  const alb = new aws.lb.LoadBalancer(name, { loadBalancerType: "application", subnets: a.publicSubnetIds, securityGroups: [albSg.id] }, opts);
  const tg = (color: string) =>
    new aws.lb.TargetGroup(
      `${name}-${color}`,
      {
        vpcId,
        port,
        protocol: "HTTP",
        targetType: "ip",
        healthCheck: { path: a.healthPath, matcher: "200", interval: 15, healthyThreshold: 2 },
        deregistrationDelay: 30,
      },
      opts,
    );
  const blue = tg("blue");
  const green = tg("green");
  const listener = new aws.lb.Listener(
    name,
    {
      loadBalancerArn: alb.arn,
      port: 80,
      protocol: "HTTP",
      defaultActions: [{ type: "forward", targetGroupArn: blue.arn }],
    },
    opts,
  );
  const td = taskDefinition(
    name,
    parent,
    a,
    port,
    pulumi.output(a.queueUrl).apply((u) => ({ QUEUE_URL: u })),
    sqsPolicy(a.queueArn, ["sqs:SendMessage"]),
  );
  const service = new aws.ecs.Service(
    name,
    {
      cluster: a.cluster,
      taskDefinition: td.arn,
      desiredCount: a.desiredCount,
      launchType: "FARGATE",
      networkConfiguration: { subnets: a.privateSubnetIds, securityGroups: [taskSg.id], assignPublicIp: false },
      loadBalancers: [{ targetGroupArn: blue.arn, containerName: name, containerPort: port }],
      // CodeDeploy moves traffic between the blue and green target groups.
      deploymentController: { type: "CODE_DEPLOY" },
    },
    { ...opts, dependsOn: [listener], ignoreChanges: ["taskDefinition", "loadBalancers"] },
  );
  const codedeployRole = new aws.iam.Role(
    `${name}-codedeploy`,
    {
      assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: "codedeploy.amazonaws.com" }, Action: "sts:AssumeRole" }],
      }),
    },
    opts,
  );
  new aws.iam.RolePolicyAttachment(`${name}-codedeploy`, { role: codedeployRole.name, policyArn: "arn:aws:iam::aws:policy/AWSCodeDeployRoleForECS" }, opts);
  const alarms = a.alarmTopic;
  const albAlarm = (
    id: string,
    metric: string,
    stat: { statistic?: string; extendedStatistic?: string },
    threshold: pulumi.Input<number>,
    description: string,
  ) =>
    new aws.cloudwatch.MetricAlarm(
      `${name}-${id}`,
      {
        namespace: "AWS/ApplicationELB",
        metricName: metric,
        dimensions: { LoadBalancer: alb.arnSuffix },
        ...stat,
        period: 60,
        evaluationPeriods: 5,
        threshold,
        comparisonOperator: "GreaterThanThreshold",
        treatMissingData: "notBreaching",
        alarmDescription: description,
        ...(alarms && { alarmActions: [alarms] }),
      },
      opts,
    );
  const errors = albAlarm("5xx", "HTTPCode_Target_5XX_Count", { statistic: "Sum" }, a.max5xxPerMinute, "the API answers with 5xx");
  const latency = albAlarm("p90-latency", "TargetResponseTime", { extendedStatistic: "p90" }, a.p90Seconds, "p90 latency of the API");
  const app = new aws.codedeploy.Application(name, { computePlatform: "ECS" }, opts);
  const group = new aws.codedeploy.DeploymentGroup(
    name,
    {
      appName: app.name,
      deploymentGroupName: name,
      serviceRoleArn: codedeployRole.arn,
      deploymentConfigName: "CodeDeployDefault.ECSAllAtOnce",
      deploymentStyle: { deploymentOption: "WITH_TRAFFIC_CONTROL", deploymentType: "BLUE_GREEN" },
      blueGreenDeploymentConfig: {
        deploymentReadyOption: { actionOnTimeout: "CONTINUE_DEPLOYMENT" },
        terminateBlueInstancesOnDeploymentSuccess: { action: "TERMINATE", terminationWaitTimeInMinutes: 5 },
      },
      autoRollbackConfiguration: { enabled: true, events: ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"] },
      // An alarm during a deployment stops it, and the rollback above puts blue back.
      alarmConfiguration: { enabled: true, alarms: [errors.name, latency.name] },
      ecsService: { clusterName: a.cluster, serviceName: service.name },
      loadBalancerInfo: {
        targetGroupPairInfo: { prodTrafficRoute: { listenerArns: [listener.arn] }, targetGroups: [{ name: blue.name }, { name: green.name }] },
      },
    },
    opts,
  );
  // A new task definition (a new image, cpu, memory) reaches the service only through CodeDeploy.
  new EcsBlueGreenDeployment(
    name,
    {
      application: app.name,
      deploymentGroup: group.deploymentGroupName,
      taskDefinitionArn: td.arn,
      containerName: name,
      containerPort: port,
      region: aws.getRegionOutput({}, { parent }).region,
    },
    { ...opts, dependsOn: [service, group] },
  );
  const url = pulumi.interpolate`http://${alb.dnsName}`;
  parent.finish({ url });
  return { url, service: service.name };
};

export const workerService: ComponentFactory = (name, inputs) => {
  const a = withDefaults(workerServiceArgs, inputs);
  const parent = new Group("infra:aws:WorkerService", name);
  const opts = { parent };
  const sg = new aws.ec2.SecurityGroup(
    `${name}-tasks`,
    {
      vpcId: a.vpcId,
      egress: ALL_EGRESS,
    },
    opts,
  );
  const td = taskDefinition(
    name,
    parent,
    a,
    undefined,
    pulumi.output(a.queueUrl).apply((u) => ({ QUEUE_URL: u })),
    sqsPolicy(a.queueArn, ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility", "sqs:GetQueueAttributes"]),
  );
  const service = new aws.ecs.Service(
    name,
    {
      cluster: a.cluster,
      taskDefinition: td.arn,
      desiredCount: a.minWorkers,
      launchType: "FARGATE",
      networkConfiguration: { subnets: a.privateSubnetIds, securityGroups: [sg.id], assignPublicIp: false },
      // Rolling deployment that stops and rolls back when new tasks keep failing.
      deploymentCircuitBreaker: { enable: true, rollback: true },
      deploymentMinimumHealthyPercent: 100,
      deploymentMaximumPercent: 200,
    },
    { ...opts, ignoreChanges: ["desiredCount"] },
  );
  const target = new aws.appautoscaling.Target(
    name,
    {
      serviceNamespace: "ecs",
      scalableDimension: "ecs:service:DesiredCount",
      resourceId: pulumi.interpolate`service/${a.cluster}/${service.name}`,
      minCapacity: a.minWorkers,
      maxCapacity: a.maxWorkers,
    },
    opts,
  );
  // Scale on queue depth: keep about `messagesPerWorker` visible messages per task.
  new aws.appautoscaling.Policy(
    name,
    {
      policyType: "TargetTrackingScaling",
      serviceNamespace: target.serviceNamespace,
      scalableDimension: target.scalableDimension,
      resourceId: target.resourceId,
      targetTrackingScalingPolicyConfiguration: {
        targetValue: a.messagesPerWorker,
        scaleInCooldown: 120,
        scaleOutCooldown: 30,
        customizedMetricSpecification: {
          namespace: "AWS/SQS",
          metricName: "ApproximateNumberOfMessagesVisible",
          statistic: "Average",
          dimensions: [{ name: "QueueName", value: a.queueName }],
        },
      },
    },
    opts,
  );
  const alarms = a.alarmTopic;
  for (const metric of ["CPUUtilization", "MemoryUtilization"]) {
    // Seed 000's rule: above 90 % for 10 minutes.
    new aws.cloudwatch.MetricAlarm(
      `${name}-${metric === "CPUUtilization" ? "cpu" : "memory"}`,
      {
        namespace: "AWS/ECS",
        metricName: metric,
        dimensions: { ClusterName: a.cluster, ServiceName: service.name },
        statistic: "Average",
        period: 60,
        evaluationPeriods: 10,
        threshold: 90,
        comparisonOperator: "GreaterThanThreshold",
        ...(alarms && { alarmActions: [alarms] }),
      },
      opts,
    );
  }
  parent.finish({ service: service.name });
  return { service: service.name };
};
