// The inputs of the openstack/* components (see args.ts).
import { defineArgs } from "./args.js";

export const networkArgs = defineArgs({
  externalNetworkId: { kind: "string", description: "the external network's id (for the router's gateway)", required: true },
  cidr: { kind: "string", description: "the subnet", default: "10.20.0.0/24" },
});

export const composeVmArgs = defineArgs({
  networkId: { kind: "string", description: "the network", required: true },
  subnetId: { kind: "string", description: "the subnet", required: true },
  sshPublicKey: { kind: "string", description: "the admin's public key", required: true },
  compose: { kind: "string", description: "the docker-compose.yml to run", required: true },
  adminCidr: { kind: "string", description: "who may reach port 22", required: true },
  flavor: { kind: "string", description: "the VM size", default: "b2-7" },
  image: { kind: "string", description: "the image name", default: "Debian 12" },
  volumeSize: { kind: "number", description: "the boot volume, GB", default: 20 },
  externalNetwork: { kind: "string", description: "the floating IP pool", default: "Ext-Net" },
  logEndpoint: { kind: "string", description: "host:port of a Logstash/Beats endpoint; no shipping when empty" },
  logToken: { kind: "string", description: "the log platform's token (secret)" },
  upstream: { kind: "string", description: "service:port the HTTPS terminator (Caddy, on 80 and 443) forwards to; none: plain HTTP" },
  domain: {
    kind: "string",
    description: "with upstream: the DNS name to serve, certificate by ACME; none: the address, certificate from the environment's CA",
  },
  acmeEmail: { kind: "string", description: "with domain: the ACME account's email" },
});

export const swiftContainerArgs = defineArgs({
  name: { kind: "string", description: "its name", defaultText: "the component's" },
  versioning: { kind: "boolean", description: "keep object versions", default: true },
});
