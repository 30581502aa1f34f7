// The meta environment's certificate authority (tls provider) and the serving
// certificates it signs for Consul and Vault: TLS everywhere, no key leaving
// the state (every key is a secret output).
import * as pulumi from "@pulumi/pulumi";
import * as tls from "@pulumi/tls";
import { Group } from "../../components/group.js";
import type { ComponentFactory } from "../../components/types.js";

export interface Authority {
  certPem: pulumi.Output<string>;
  keyPem: pulumi.Output<string>;
}

export function authority(name: string, opts: pulumi.CustomResourceOptions): Authority {
  const key = new tls.PrivateKey(`${name}-ca`, { algorithm: "ECDSA", ecdsaCurve: "P256" }, opts);
  const cert = new tls.SelfSignedCert(
    `${name}-ca`,
    {
      privateKeyPem: key.privateKeyPem,
      subject: { commonName: "infra meta CA", organization: "infra" },
      isCaCertificate: true,
      validityPeriodHours: 87600,
      allowedUses: ["cert_signing", "crl_signing", "digital_signature"],
    },
    opts,
  );
  return { certPem: cert.certPem, keyPem: pulumi.secret(key.privateKeyPem) };
}

/** A serving certificate for the given DNS names, signed by the CA (one year; the engine renews it when an update finds it due). */
export function servingCert(
  name: string,
  ca: { certPem: pulumi.Input<string>; keyPem: pulumi.Input<string> },
  dnsNames: string[],
  opts: pulumi.CustomResourceOptions,
) {
  const key = new tls.PrivateKey(name, { algorithm: "ECDSA", ecdsaCurve: "P256" }, opts);
  const csr = new tls.CertRequest(
    name,
    { privateKeyPem: key.privateKeyPem, subject: { commonName: dnsNames[0]! }, dnsNames, ipAddresses: ["127.0.0.1"] },
    opts,
  );
  const cert = new tls.LocallySignedCert(
    name,
    {
      certRequestPem: csr.certRequestPem,
      caCertPem: ca.certPem,
      caPrivateKeyPem: ca.keyPem,
      validityPeriodHours: 8760,
      earlyRenewalHours: 720,
      allowedUses: ["digital_signature", "key_encipherment", "server_auth", "client_auth"],
    },
    opts,
  );
  return { certPem: cert.certPem, keyPem: pulumi.secret(key.privateKeyPem) };
}

/** The meta CA as a template component: its certificate, and its key (secret). */
export const ca: ComponentFactory = (name) => {
  const parent = new Group("infra:meta:Authority", name);
  const a = authority(name, { parent });
  parent.finish({ cert: a.certPem });
  return { cert: a.certPem, key: a.keyPem };
};
