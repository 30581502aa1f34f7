import * as pulumi from "@pulumi/pulumi";
import * as tls from "@pulumi/tls";
import { withDefaults } from "./args.js";
import { Group } from "./group.js";
import { selfSignedCertArgs } from "./tls.args.js";
import type { ComponentFactory } from "./types.js";

export const selfSignedCert: ComponentFactory = (name, inputs) => {
  const a = withDefaults(selfSignedCertArgs, inputs);
  const parent = new Group("infra:tls:SelfSignedCert", name);
  const key = new tls.PrivateKey(name, { algorithm: "ECDSA", ecdsaCurve: "P256" }, { parent });
  const isCa = a.isCa;
  const cert = new tls.SelfSignedCert(
    name,
    {
      privateKeyPem: key.privateKeyPem,
      validityPeriodHours: a.validityHours,
      isCaCertificate: isCa,
      allowedUses: pulumi
        .output(isCa)
        .apply((ca) => (ca ? ["cert_signing", "crl_signing", "digital_signature"] : ["server_auth", "client_auth", "digital_signature", "key_encipherment"])),
      dnsNames: a.dnsNames,
      subject: { commonName: a.commonName, organization: "infra" },
    },
    { parent },
  );
  parent.finish({ certPem: cert.certPem });
  return { certPem: cert.certPem, privateKeyPem: key.privateKeyPem, publicKeyPem: key.publicKeyPem };
};
