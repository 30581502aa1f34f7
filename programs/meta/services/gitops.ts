// The GitOps hand-off (seed 000): Argo CD, and an ApplicationSet whose
// generators find the organisation's repositories that start with the prefix
// and, in each, the folders kubernetes/<app>/<cloud>/<region>/<env>/<namespace>
// for this cluster's cloud and region: one Application per folder.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { Group } from "../../components/group.js";
import { withDefaults } from "../../components/args.js";
import type { ComponentFactory } from "../../components/types.js";
import { gitopsArgs } from "./args.js";
import { namespace, serviceContext } from "./common.js";
import { metaRelease } from "./release.js";

/** A repository prefix as an anchored regular expression Argo CD (Go's RE2) matches names with. */
export function prefixPattern(prefix: string): string {
  return `^${prefix.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`;
}

export function applicationSetSpec(organisation: string, prefix: string, cloud: string, region: string) {
  return {
    goTemplate: true,
    goTemplateOptions: ["missingkey=error"],
    generators: [
      {
        matrix: {
          generators: [
            {
              scmProvider: {
                github: { organization: organisation, tokenRef: { secretName: "github-token", key: "token" } },
                filters: [{ repositoryMatch: prefixPattern(prefix), pathsExist: ["kubernetes"] }],
              },
            },
            { git: { repoURL: "{{ .url }}", revision: "{{ .branch }}", directories: [{ path: `kubernetes/*/${cloud}/${region}/*/*` }] } },
          ],
        },
      },
    ],
    template: {
      metadata: { name: "{{ .repository }}-{{ index .path.segments 1 }}-{{ index .path.segments 4 }}-{{ index .path.segments 5 }}" },
      spec: {
        project: "default",
        source: { repoURL: "{{ .url }}", targetRevision: "{{ .branch }}", path: "{{ .path.path }}" },
        destination: { server: "https://kubernetes.default.svc", namespace: "{{ index .path.segments 5 }}" },
        syncPolicy: { automated: { prune: true, selfHeal: true }, syncOptions: ["CreateNamespace=true"] },
      },
    },
  };
}

export const gitops: ComponentFactory = (name, inputs) => {
  const a = withDefaults(gitopsArgs, inputs);
  const parent = new Group("infra:meta:GitOps", name);
  const ctx = serviceContext(name, a, parent);
  const ns = namespace("argocd", ctx);
  const argo = metaRelease(ctx, "argo-cd", ns.metadata.name, {
    configs: { params: { "server.insecure": true } },
    applicationSet: { replicas: 1 },
    server: { ingress: { enabled: false } },
  });
  // The SCM generator lists the organisation's repositories with a token; none given, there is
  // nothing for an ApplicationSet to generate from, so it is left out (and said).
  let appset: k8s.apiextensions.CustomResource | undefined;
  if (a.githubToken === undefined) {
    void pulumi.log.warn("no GitHub token (GITHUB_TOKEN at bootstrap): Argo CD runs, without the ApplicationSet over the organisation's repositories", parent);
  } else {
    const token = new k8s.core.v1.Secret(
      `${name}-github-token`,
      {
        metadata: { namespace: ns.metadata.name, name: "github-token", labels: { "app.kubernetes.io/part-of": "argocd" } },
        stringData: { token: pulumi.secret(a.githubToken) },
      },
      ctx.opts,
    );
    const spec = pulumi
      .all([a.organisation, a.prefix, a.cloud, a.region])
      .apply(([o, p, c, r]) => applicationSetSpec(String(o), String(p ?? "infra-"), String(c ?? "sandbox"), String(r ?? "local")));
    appset = new k8s.apiextensions.CustomResource(
      `${name}-apps`,
      {
        apiVersion: "argoproj.io/v1alpha1",
        kind: "ApplicationSet",
        metadata: { namespace: ns.metadata.name, name: "infra-apps" },
        spec,
      },
      { ...ctx.opts, dependsOn: [argo, token] },
    );
  }
  const url = pulumi.interpolate`http://argo-cd-argocd-server.${ns.metadata.name}.svc`;
  const applicationSet = appset ? appset.metadata.name : pulumi.output("");
  parent.finish({ url, applicationSet });
  return { argoCdUrl: url, applicationSet, version: argo.version };
};
