// The components templates can use, by id. This file imports no @pulumi/*
// package: `infra template list|show` read it without loading the engine;
// `load` brings in the implementation only when a program runs.
import type { ComponentFactory } from "./types.js";

export interface ComponentInfo {
  description: string;
  inputs: Record<string, { required: boolean; description: string }>;
  outputs: Record<string, { secret: boolean; description: string }>;
  load: () => Promise<ComponentFactory>;
}

export const catalogue: Record<string, ComponentInfo> = {
  "random/pet": {
    description: "A random pet name (adjective-animal), stable until its inputs change.",
    inputs: {
      length: { required: false, description: "number of words (default 2)" },
      prefix: { required: false, description: "a prefix for the name" },
    },
    outputs: { id: { secret: false, description: "the name" } },
    load: async () => (await import("./random.js")).pet,
  },
  "random/password": {
    description: "A random password, kept secret.",
    inputs: {
      length: { required: false, description: "number of characters (default 24)" },
      special: { required: false, description: "include special characters (default false)" },
    },
    outputs: { result: { secret: true, description: "the password" } },
    load: async () => (await import("./random.js")).password,
  },
  "tls/self-signed-cert": {
    description: "An ECDSA P-256 private key and a self-signed certificate for it.",
    inputs: {
      commonName: { required: true, description: "the certificate's common name" },
      dnsNames: { required: false, description: "subject alternative DNS names" },
      validityHours: { required: false, description: "validity in hours (default 720)" },
      isCa: { required: false, description: "make it a CA certificate (default false)" },
    },
    outputs: {
      certPem: { secret: false, description: "the certificate, PEM" },
      privateKeyPem: { secret: true, description: "the private key, PEM" },
      publicKeyPem: { secret: false, description: "the public key, PEM" },
    },
    load: async () => (await import("./tls.js")).selfSignedCert,
  },
  "command/local": {
    description: "A command run on the machine running infra when the component is created, updated or deleted.",
    inputs: {
      create: { required: true, description: "the command run on create (and on update when there is no update command)" },
      update: { required: false, description: "the command run on update" },
      delete: { required: false, description: "the command run on delete" },
      triggers: { required: false, description: "values whose change replaces the command (runs delete, then create)" },
    },
    outputs: {
      stdout: { secret: false, description: "what the last run printed" },
      stderr: { secret: false, description: "what the last run printed on stderr" },
    },
    load: async () => (await import("./command.js")).local,
  },
};
