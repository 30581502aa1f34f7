// The template store a long-running server holds: a template written or
// changed after it started (a template sync, an edited file) is what the next
// lookup finds, and an unchanged file is not read again.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FileTemplateStore } from "../../../src/templates/store.js";
import { allTemplates, recordedByName } from "../../../src/templates/load.js";

const fixture = (v: string) =>
  readFileSync(join(__dirname, "../../fixtures/templates/basic-1.0.0.yaml"), "utf8")
    .replace(/^id: basic$/m, "id: later")
    .replace(/^version: 1\.0\.0$/m, `version: ${v}`);

describe("FileTemplateStore", () => {
  it("finds a template written after its first lookup, and sees a file changed or removed", async () => {
    const dir = mkdtempSync(join(tmpdir(), "infra-store-"));
    const env = { ...process.env, INFRA_TEMPLATE_PATH: dir, INFRA_HOME: mkdtempSync(join(tmpdir(), "infra-store-home-")) };
    const store = new FileTemplateStore(env);
    await expect(store.find("later")).rejects.toThrow(/unknown template 'later'/);
    writeFileSync(join(dir, "later.yaml"), fixture("1.0.0"));
    expect((await store.find("later")).spec.version).toBe("1.0.0");
    writeFileSync(join(dir, "later.yaml"), fixture("1.2.0") + "# longer\n");
    expect((await store.find("later")).spec.version).toBe("1.2.0");
    rmSync(join(dir, "later.yaml"));
    await expect(store.find("later")).rejects.toThrow(/unknown template 'later'/);
  });

  it("hands back the same parsed template while its file is unchanged", () => {
    const dir = mkdtempSync(join(tmpdir(), "infra-store-"));
    writeFileSync(join(dir, "later.yaml"), fixture("1.0.0"));
    const env = { ...process.env, INFRA_TEMPLATE_PATH: dir, INFRA_HOME: mkdtempSync(join(tmpdir(), "infra-store-home-")) };
    const first = allTemplates(env).find((t) => t.spec.id === "later");
    const again = allTemplates(env).find((t) => t.spec.id === "later");
    expect(first?.spec).toMatchObject({ id: "later", version: "1.0.0" });
    expect(again).toBe(first);
  });

  it("finds a recorded template by its file's name without parsing other files; a file named otherwise is still found", async () => {
    const dir = mkdtempSync(join(tmpdir(), "infra-store-"));
    const env = { ...process.env, INFRA_TEMPLATE_PATH: dir, INFRA_HOME: mkdtempSync(join(tmpdir(), "infra-store-home-")) };
    writeFileSync(join(dir, "later-1.0.0.yaml"), fixture("1.0.0"));
    // Not valid YAML: parsing it would set it aside as broken, which the lookup by name never needs to.
    writeFileSync(join(dir, "other-2.0.0.yaml"), "id: [unclosed\n");
    const store = new FileTemplateStore(env);
    expect(recordedByName({ id: "later", version: "1.0.0", source: dir }, env)?.spec.id).toBe("later");
    expect(recordedByName({ id: "later", version: "1.0.0", source: "builtin" }, env)).toBeUndefined();
    writeFileSync(join(dir, "odd-name.yaml"), fixture("1.1.0"));
    expect(recordedByName({ id: "later", version: "1.1.0", source: dir }, env)).toBeUndefined();
    expect((await store.recorded({ id: "later", version: "1.1.0", source: dir })).spec.version).toBe("1.1.0");
  });
});
