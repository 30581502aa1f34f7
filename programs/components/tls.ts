import * as pulumi from "@pulumi/pulumi";
import * as tls from "@pulumi/tls";
import { Group } from "./group.js";
import type { ComponentFactory } from "./types.js";

export const selfSignedCert: ComponentFactory = (name, inputs) => {
  const parent = new Group("infra:tls:SelfSignedCert", name);
  const key = new tls.PrivateKey(name, { algorithm: "ECDSA", ecdsaCurve: "P256" }, { parent });
  const isCa = (inputs.isCa as pulumi.Input<boolean>) ?? false;
  const cert = new tls.SelfSignedCert(
    name,
    {
      privateKeyPem: key.privateKeyPem,
      validityPeriodHours: (inputs.validityHours as pulumi.Input<number>) ?? 720,
      isCaCertificate: isCa,
      allowedUses: pulumi
        .output(isCa)
        .apply((ca) => (ca ? ["cert_signing", "crl_signing", "digital_signature"] : ["server_auth", "client_auth", "digital_signature", "key_encipherment"])),
      dnsNames: (inputs.dnsNames as pulumi.Input<string[]>) ?? [],
      subject: { commonName: inputs.commonName as pulumi.Input<string>, organization: "infra" },
    },
    { parent },
  );
  parent.finish({ certPem: cert.certPem });
  return { certPem: cert.certPem, privateKeyPem: key.privateKeyPem, publicKeyPem: key.publicKeyPem };
};
