// The infra API's pod, as its image expects it to run (src/image): uid 65532,
// a read-only root, the home (/var/lib/infra) and /tmp as volumes, the
// passphrase a Secret mounted as a file (never an environment variable a
// crash dump or `kubectl describe` could show). Plain objects, so the meta
// program and the test that runs the image on the sandbox's node declare the
// very same pod.

/** The port the image listens on (its INFRA_LISTEN). */
export const API_PORT = 7780;
export const API_UID = 65532;
export const PASSPHRASE_DIR = "/run/secrets/infra";
/** The key of the passphrase's Secret holding the SHA-256 of the bootstrapping user's write token. */
export const BOOTSTRAP_TOKEN_KEY = "bootstrap-token.sha256";

export interface ApiPodInput<T> {
  image: T;
  /** The Secret holding `passphrase` (and, when bootstrap made one, `bootstrap-token.sha256`). */
  passphraseSecret: string;
  /** The server registers the write token whose hash that key holds (the bootstrapping user's). */
  bootstrapToken?: boolean;
  /** A claim the home lives on (its registry, its state): none, an emptyDir that a restart empties. */
  homeClaim?: string;
  /** A Secret whose keys become environment variables (INFRA_REGISTRY, INFRA_AMQP_URL). */
  envSecret?: string;
  /** A Secret whose keys give it the state bucket where no cloud identity can (OpenStack's EC2 credentials). */
  stateSecret?: string;
  env?: { name: string; value: T }[];
}

export function apiPodSpec<T>(i: ApiPodInput<T>) {
  return {
    securityContext: { runAsNonRoot: true, runAsUser: API_UID, runAsGroup: API_UID, fsGroup: API_UID, seccompProfile: { type: "RuntimeDefault" } },
    containers: [
      {
        name: "api",
        image: i.image,
        args: [
          "server",
          "--passphrase-file",
          `${PASSPHRASE_DIR}/passphrase`,
          ...(i.bootstrapToken ? ["--bootstrap-token-hash-file", `${PASSPHRASE_DIR}/${BOOTSTRAP_TOKEN_KEY}`] : []),
        ],
        ports: [{ name: "http", containerPort: API_PORT }],
        ...((i.envSecret || i.stateSecret) && {
          envFrom: [i.envSecret, i.stateSecret].filter((x): x is string => !!x).map((name) => ({ secretRef: { name } })),
        }),
        env: i.env ?? [],
        readinessProbe: { httpGet: { path: "/api/v1/ready", port: "http" }, periodSeconds: 5 },
        livenessProbe: { httpGet: { path: "/api/v1/health", port: "http" }, periodSeconds: 10, failureThreshold: 6 },
        // The engine and its provider plugins run beside the API during an operation.
        resources: { requests: { cpu: "100m", memory: "256Mi" }, limits: { cpu: "2", memory: "2Gi" } },
        securityContext: { readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } },
        volumeMounts: [
          { name: "home", mountPath: "/var/lib/infra" },
          { name: "tmp", mountPath: "/tmp" },
          { name: "passphrase", mountPath: PASSPHRASE_DIR, readOnly: true },
        ],
      },
    ],
    volumes: [
      i.homeClaim ? { name: "home", persistentVolumeClaim: { claimName: i.homeClaim } } : { name: "home", emptyDir: {} },
      { name: "tmp", emptyDir: {} },
      { name: "passphrase", secret: { secretName: i.passphraseSecret, defaultMode: 0o440 } },
    ],
  };
}
