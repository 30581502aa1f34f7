// How `infra sandbox push` reads an image name: as containerd does, so that
// what a pod names is what the real node finds in the sandbox's registry.
import { describe, expect, it } from "vitest";
import { imageName } from "../../../src/sandbox/registry.js";

describe("imageName", () => {
  it("gives docker.io's one-part names their library/ and a missing tag latest", () => {
    expect(imageName("nginx:1.27")).toEqual({ repository: "library/nginx", tag: "1.27", asNamed: "nginx:1.27" });
    expect(imageName("nginx")).toEqual({ repository: "library/nginx", tag: "latest", asNamed: "nginx:latest" });
    expect(imageName("docker.io/nginx:1")).toMatchObject({ repository: "library/nginx", tag: "1" });
    expect(imageName("acme/api:2")).toMatchObject({ repository: "acme/api", tag: "2" });
  });

  it("drops another registry's host: the node pulls every name from the sandbox's registry", () => {
    expect(imageName("ghcr.io/acme/api:2")).toEqual({ repository: "acme/api", tag: "2", asNamed: "ghcr.io/acme/api:2" });
    expect(imageName("localhost:5000/team/app")).toMatchObject({ repository: "team/app", tag: "latest" });
    expect(imageName("127.0.0.1:41234/library/hello:1")).toMatchObject({ repository: "library/hello", tag: "1" });
    expect(imageName("europe-docker.pkg.dev/p/r/img:v1.2.3")).toMatchObject({ repository: "p/r/img", tag: "v1.2.3" });
  });

  it("refuses what is not a name, in one line saying why", () => {
    for (const [name, why] of [
      ["Hello:1", '"Hello"'],
      ["app@sha256:abc", "a digest"],
      ["app:", "tag"],
      ["a//b", '""'],
      ["../etc:1", '".."'],
      ["app:-x", "tag"],
      [`${"a".repeat(256)}`, "255"],
    ] as const) {
      expect(() => imageName(name), name).toThrow(why);
    }
    expect(() => imageName("x".repeat(100) + "-".repeat(40) + "!")).toThrow(/not an image name/);
  });
});
