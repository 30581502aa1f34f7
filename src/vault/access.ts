// How infra reaches Vault's HTTP API: through the Kubernetes API server's
// proxy to the Vault service and pods (no port-forward, no network path to
// the cluster's inside needed), or at an address given (VAULT_ADDR-like).
import { InfraError, UsageError } from "../core/errors.js";
import { kubeEndpoint, send, type Endpoint } from "../kube/http.js";

export interface VaultAccess {
  /** A call to Vault's API (`/v1/...`), on the service, or on one pod. */
  call(method: "GET" | "PUT" | "POST", path: string, body?: unknown, pod?: string): Promise<unknown>;
  /** The Vault server pods, by name (one, the address itself, when not on Kubernetes). */
  pods(): Promise<string[]>;
}

async function checked(ep: Endpoint, method: string, path: string, body?: unknown): Promise<unknown> {
  const r = await send(ep, method, path, body);
  if (r.status >= 300) {
    const errors =
      (r.json as { errors?: string[]; message?: string } | undefined)?.errors?.join("; ") ??
      (r.json as { message?: string })?.message ??
      JSON.stringify(r.json);
    throw new InfraError(`Vault (${path.replace(/^.*\/proxy/, "")}) answered ${r.status}: ${String(errors).slice(0, 300)}`);
  }
  return r.json;
}

/** Vault at an address (https://vault.example:8200), for a Vault infra does not reach through Kubernetes. */
export function directAccess(address: string, ca?: string): VaultAccess {
  let base: URL;
  try {
    base = new URL(address);
  } catch {
    throw new UsageError(`--address ${address.slice(0, 100)}: a URL like https://vault.example.com:8200`);
  }
  const ep: Endpoint = { base, tls: ca ? { ca } : {}, headers: {} };
  return {
    call: (method, path, body) => checked(ep, method, path, body),
    pods: async () => [base.host],
  };
}

/** Vault in the cluster, through the API server's service and pod proxies. */
export function kubeAccess(kubeconfig: string, parse: (text: string) => unknown, namespace = "vault", service = "vault"): VaultAccess {
  const ep = kubeEndpoint(kubeconfig, parse);
  const ns = encodeURIComponent(namespace);
  return {
    call: (method, path, body, pod) => {
      const target = pod ? `pods/https:${encodeURIComponent(pod)}:8200` : `services/https:${encodeURIComponent(service)}:8200`;
      return checked(ep, method, `api/v1/namespaces/${ns}/${target}/proxy${path}`, body);
    },
    pods: async () => {
      const list = (await checked(
        ep,
        "GET",
        `api/v1/namespaces/${ns}/pods?labelSelector=${encodeURIComponent("app.kubernetes.io/name=vault,component=server")}`,
      )) as { items: { metadata: { name: string } }[] };
      return list.items.map((p) => p.metadata.name).sort();
    },
  };
}
