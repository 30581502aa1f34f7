// The meta environment's GitOps with no GitHub token (none in GITHUB_TOKEN at
// bootstrap): Argo CD runs, and no ApplicationSet names a Secret nobody made.
// A file of its own: Pulumi's mock config cannot be unset within one.
import { join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { packageRoot } from "../../../src/core/package-root.js";
import { loadTemplateFile } from "../../../src/templates/load.js";
import { META_PARAMS } from "../../helpers/meta.js";
import { runTemplate } from "../../helpers/mocks.js";

const template = loadTemplateFile(join(packageRoot(), "templates", "meta", "1.0.0.yaml"), "builtin");

describe("the meta environment without a GitHub token", () => {
  it("runs Argo CD without the ApplicationSet or its token Secret", async () => {
    pulumi.runtime.setConfig("infra:location", "sandbox");
    pulumi.runtime.setConfig("infra:locationKubeconfig", "apiVersion: v1\nkind: Config\nclusters: []\n");
    const r = await runTemplate(template.spec, "meta", { ...META_PARAMS, consul: "false", vault: "false", observability: "false" });
    expect(r.all("kubernetes:helm.sh/v3:Release").some((x) => String(x.inputs.chart).endsWith("argo-cd"))).toBe(true);
    expect(r.all("kubernetes:argoproj.io/v1alpha1:ApplicationSet")).toHaveLength(0);
    expect(r.all("kubernetes:core/v1:Secret").some((x) => x.inputs.metadata.name === "github-token")).toBe(false);
  });
});
