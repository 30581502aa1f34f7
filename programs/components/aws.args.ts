// The inputs of the aws/* components (see args.ts).
import { defineArgs } from "./args.js";

const alarmTopic = { kind: "string", description: "SNS topic for alarms" } as const;
const task = {
  cpu: { kind: "string", description: "task CPU units", default: "256" },
  memory: { kind: "string", description: "task memory MiB", default: "512" },
} as const;

export const vpcArgs = defineArgs({
  azCount: { kind: "number", description: "availability zones", default: 2 },
  cidr: { kind: "string", description: "the VPC's /16", default: "10.0.0.0/16" },
});

export const queueArgs = defineArgs({
  maxReceiveCount: { kind: "number", description: "tries before a task goes to the dead-letter queue", default: 5 },
  visibilityTimeout: { kind: "number", description: "seconds a task is hidden while it runs", default: 60 },
  alarmTopic,
});

export const apiServiceArgs = defineArgs({
  cluster: { kind: "string", description: "the ECS cluster", required: true },
  vpcId: { kind: "string", description: "the VPC", required: true },
  publicSubnetIds: { kind: "list", description: "for the load balancer", required: true },
  privateSubnetIds: { kind: "list", description: "for the tasks", required: true },
  image: { kind: "string", description: "the API image", required: true },
  queueUrl: { kind: "string", description: "where it sends tasks", required: true },
  queueArn: { kind: "string", description: "the queue it may send to", required: true },
  desiredCount: { kind: "number", description: "tasks", default: 2 },
  ...task,
  healthPath: { kind: "string", description: "target group health check", default: "/healthz" },
  max5xxPerMinute: { kind: "number", description: "5xx alarm threshold", default: 5 },
  p90Seconds: { kind: "number", description: "p90 latency alarm threshold", default: 1 },
  alarmTopic,
});

export const workerServiceArgs = defineArgs({
  cluster: { kind: "string", description: "the ECS cluster", required: true },
  vpcId: { kind: "string", description: "the VPC", required: true },
  privateSubnetIds: { kind: "list", description: "for the tasks", required: true },
  image: { kind: "string", description: "the worker image", required: true },
  queueUrl: { kind: "string", description: "where tasks come from", required: true },
  queueArn: { kind: "string", description: "the queue it may consume", required: true },
  queueName: { kind: "string", description: "the queue, for the scaling metric", required: true },
  minWorkers: { kind: "number", description: "the fewest workers", default: 1 },
  maxWorkers: { kind: "number", description: "the most workers", default: 10 },
  messagesPerWorker: { kind: "number", description: "visible messages per task the autoscaler aims at", default: 10 },
  ...task,
  alarmTopic,
});
