// Consul: servers (3, or 1 on the sandbox) with a PDB, gossip encryption with
// a key from the random provider, TLS from the meta CA, ACLs on.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { Group } from "../../components/group.js";
import { withDefaults } from "../../components/args.js";
import type { ComponentFactory } from "../../components/types.js";
import { consulArgs } from "./args.js";
import { count, namespace, serviceContext } from "./common.js";
import { metaRelease } from "./release.js";

export const consul: ComponentFactory = (name, inputs) => {
  const a = withDefaults(consulArgs, inputs);
  const parent = new Group("infra:meta:Consul", name);
  const ctx = serviceContext(name, a, parent);
  const ns = namespace("consul", ctx);
  const gossip = new random.RandomBytes(`${name}-gossip`, { length: 32 }, { parent });
  const gossipSecret = new k8s.core.v1.Secret(
    `${name}-gossip`,
    {
      metadata: { namespace: ns.metadata.name, name: "consul-gossip" },
      stringData: { key: pulumi.secret(gossip.base64) },
    },
    ctx.opts,
  );
  const caSecret = new k8s.core.v1.Secret(
    `${name}-ca`,
    {
      metadata: { namespace: ns.metadata.name, name: "consul-ca" },
      stringData: { "tls.crt": a.caCert, "tls.key": pulumi.secret(a.caKey) },
    },
    ctx.opts,
  );
  const servers = count(a.servers, consulArgs.servers.default);
  const release = metaRelease(
    ctx,
    "consul",
    ns.metadata.name,
    servers.apply((n) => ({
      global: {
        name: "consul",
        datacenter: "meta",
        gossipEncryption: { secretName: "consul-gossip", secretKey: "key" },
        tls: {
          enabled: true,
          enableAutoEncrypt: true,
          verify: true,
          httpsOnly: true,
          caCert: { secretName: "consul-ca", secretKey: "tls.crt" },
          caKey: { secretName: "consul-ca", secretKey: "tls.key" },
        },
        acls: { manageSystemACLs: true },
      },
      server: { replicas: n, bootstrapExpect: n, disruptionBudget: { enabled: true, maxUnavailable: n > 1 ? 1 : 0 } },
      ui: { enabled: true },
      connectInject: { enabled: false },
    })),
    { dependsOn: [gossipSecret, caSecret] },
  );
  const address = pulumi.interpolate`https://consul-server.${ns.metadata.name}.svc:8501`;
  parent.finish({ address });
  return { address, version: release.version, servers };
};
