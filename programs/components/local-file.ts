// local/file: a file infra keeps for an environment on the machine that runs
// it ($INFRA_HOME/files/<environment>/<component>), e.g. a rendered config to
// hand to another tool. A dynamic resource whose Read looks at the file: an
// edit made outside infra is drift (the content, declared and actual), a
// deleted file is missing. The path is infra's: environment and component
// names are checked identifiers, so no template value reaches it.
import * as pulumi from "@pulumi/pulumi";
import { join } from "node:path";
import { infraHome } from "../../src/core/home.js";
import { withDefaults } from "./args.js";
import { Group } from "./group.js";
import { fileArgs } from "./local.args.js";
import type { ComponentFactory } from "./types.js";

interface FileState {
  path: string;
  content: string;
}

// Serialized with its closure and run in the engine's dynamic provider host:
// each function requires what it uses.
const provider: pulumi.dynamic.ResourceProvider = {
  async create(inputs: FileState) {
    const fs = require("node:fs");
    const path = require("node:path");
    fs.mkdirSync(path.dirname(inputs.path), { recursive: true, mode: 0o700 });
    fs.writeFileSync(`${inputs.path}.part`, inputs.content, { mode: 0o600 });
    fs.renameSync(`${inputs.path}.part`, inputs.path);
    return { id: inputs.path, outs: inputs };
  },
  async read(id: string, props: FileState) {
    const fs = require("node:fs");
    try {
      return { id, props: { ...props, path: id, content: fs.readFileSync(id, "utf8") } };
    } catch (err) {
      // Gone: an empty id tells the engine the resource no longer exists.
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return { id: "" };
      throw err;
    }
  },
  async diff(_id: string, olds: FileState, news: FileState) {
    const replaces = olds.path !== news.path ? ["path"] : [];
    return { changes: olds.content !== news.content || replaces.length > 0, replaces, deleteBeforeReplace: true };
  },
  async update(_id: string, _olds: FileState, news: FileState) {
    const fs = require("node:fs");
    fs.writeFileSync(`${news.path}.part`, news.content, { mode: 0o600 });
    fs.renameSync(`${news.path}.part`, news.path);
    return { outs: news };
  },
  async delete(id: string) {
    require("node:fs").rmSync(id, { force: true });
  },
};

class LocalFile extends pulumi.dynamic.Resource {
  declare readonly path: pulumi.Output<string>;
  declare readonly content: pulumi.Output<string>;
  constructor(name: string, args: { path: string; content: pulumi.Input<string> }, opts?: pulumi.CustomResourceOptions) {
    super(provider, name, args, opts, "infra", "LocalFile");
  }
}

export const file: ComponentFactory = (name, inputs) => {
  const a = withDefaults(fileArgs, inputs);
  const parent = new Group("infra:local:File", name);
  const f = new LocalFile(name, { path: join(infraHome(), "files", pulumi.getStack(), name), content: a.content }, { parent });
  parent.finish({ path: f.path });
  return { path: f.path, content: f.content };
};
