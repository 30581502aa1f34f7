import { describe, expect, it } from "vitest";
import { scrubSecrets } from "../../../src/engine/scrub.js";

const secret = (value: unknown) => ({ "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value });

describe("scrubSecrets", () => {
  it("replaces secret objects at any depth, and nothing else", () => {
    const event = { resOutputsEvent: { metadata: { new: { outputs: { outputs: { token: secret("t0k"), url: "https://x" }, list: [secret({ a: 1 }), 2] } } } } };
    const out = scrubSecrets(event);
    expect(JSON.stringify(out)).not.toContain("t0k");
    expect(out.resOutputsEvent.metadata.new.outputs.outputs).toEqual({ token: "[secret]", url: "https://x" });
    expect(out.resOutputsEvent.metadata.new.outputs.list).toEqual(["[secret]", 2]);
    expect(scrubSecrets({ "4dabf18193072939515e22adb298388d": "other", value: 1 })).toEqual({ "4dabf18193072939515e22adb298388d": "other", value: 1 });
    expect(scrubSecrets(null)).toBe(null);
  });
});
