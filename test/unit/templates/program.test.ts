// What a template's program makes of its parameters, under Pulumi's mocks.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadTemplateFile } from "../../../src/templates/load.js";
import { isSecret, runTemplate } from "../../helpers/mocks.js";

const file = join(mkdtempSync(join(tmpdir(), "infra-program-")), "t.yaml");
writeFileSync(
  file,
  `id: secrets
version: 1.0.0
parameters:
  pin: { type: integer, secret: true, optional: true }
  flag: { type: boolean, secret: true, optional: true }
  ratio: { type: number, secret: true }
components:
  - name: pet
    use: random/pet
outputs:
  pin: \${params.pin}
  flag: \${params.flag}
  ratio: \${params.ratio}
`,
);
const template = loadTemplateFile(file);

describe("a secret parameter of any type", () => {
  it("stays secret in every output that reads it, optional or not", async () => {
    const r = await runTemplate(template.spec, "dev", { pin: "1234", flag: "true", ratio: "0.5" });
    expect(r.values).toMatchObject({ pin: 1234, flag: true, ratio: 0.5 });
    for (const k of ["pin", "flag", "ratio"]) expect(await isSecret(r.outputs[k]!), k).toBe(true);
  });
});
