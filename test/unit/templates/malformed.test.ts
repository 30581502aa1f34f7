// A generated corpus of malformed and hostile templates. Each must be refused
// with one line that names the file and the place in it, as a TemplateError:
// never a stack trace, never another kind of exception.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { loadTemplateFile, TemplateError } from "../../../src/templates/load.js";

const dir = mkdtempSync(join(tmpdir(), "infra-corpus-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Doc = Record<string, any>;
const base = (): Doc => ({
  id: "web",
  version: "1.0.0",
  description: "a web app",
  parameters: {
    greeting: { type: "string", default: "hello", pattern: "[a-z]+" },
    replicas: { type: "integer", default: 2, min: 1, max: 10 },
    token: { type: "string", secret: true },
    upstream: { type: "environment" },
  },
  components: [
    { name: "pet", use: "random/pet" },
    { name: "hello", use: "command/local", with: { create: 'echo "$G $P"', environment: { G: "${params.greeting}", P: "${components.pet.id}" } } },
  ],
  outputs: { url: "https://${environment.name}.test", said: "${components.hello.stdout}" },
  tags: { team: "core" },
});

/** [name, a YAML text or a change to the valid base, what the error must mention]. */
const cases: [string, string | ((d: Doc) => void), RegExp][] = [];
const mutate = (name: string, f: (d: Doc) => void, want: RegExp) => cases.push([name, f, want]);
const text = (name: string, yaml: string, want: RegExp) => cases.push([name, yaml, want]);

// Wrong types for every field.
const wrong: unknown[] = [42, true, null, ["a"], { a: 1 }, "text"];
const fields: [string, (d: Doc, v: unknown) => void, unknown[]][] = [
  ["id", (d, v) => (d.id = v), wrong.filter((v) => v !== "text")],
  ["version", (d, v) => (d.version = v), wrong.filter((v) => v !== "text")],
  ["description", (d, v) => (d.description = v), [42, true, ["a"], { a: 1 }]],
  ["parameters", (d, v) => (d.parameters = v), [42, true, ["a"], "text"]],
  ["components", (d, v) => (d.components = v), [42, true, { a: 1 }, "text", []]],
  ["outputs", (d, v) => (d.outputs = v), [42, true, ["a"], "text"]],
  ["tags", (d, v) => (d.tags = v), [42, true, ["a"], "text", { team: 5 }]],
  ["locations", (d, v) => (d.locations = v), [42, "aws", [], ["mars"], [1]]],
  ["parameters.replicas.type", (d, v) => (d.parameters.replicas.type = v), [42, "int", "float", null, ["integer"]]],
  ["parameters.replicas.min", (d, v) => (d.parameters.replicas.min = v), ["one", true, [1]]],
  ["parameters.greeting.enum", (d, v) => (d.parameters.greeting.enum = v), [[], "a", 42, [{ a: 1 }]]],
  ["parameters.greeting.secret", (d, v) => (d.parameters.greeting.secret = v), ["yes", 1, null]],
  ["components.0.name", (d, v) => (d.components[0].name = v), [42, null, "Pet-1", "1pet", "", "p e t"]],
  ["components.0.use", (d, v) => (d.components[0].use = v), [42, null, "random", "Random/Pet", "random/pet/x", "../pet", ""]],
  ["components.1.with", (d, v) => (d.components[1].with = v), [42, "echo", ["echo"]]],
  ["components.1.with.create", (d, v) => (d.components[1].with.create = v), [{ a: 1 }, null, [[1]]]],
  ["outputs.url", (d, v) => (d.outputs.url = v), [42, null, ["a"], { kind: "entrypoint" }, { value: "x", kind: "door" }]],
];
for (const [field, set, values] of fields) {
  for (const v of values) mutate(`${field} = ${JSON.stringify(v)}`, (d) => set(d, v), /./);
}

for (const key of ["Url", "1x", "a-b", "a b"]) mutate(`output named ${key}`, (d) => (d.outputs[key] = "x"), /outputs/);
for (const key of ["Team", "a b", "-x"]) mutate(`tag named ${key}`, (d) => (d.tags[key] = "x"), /tags/);
mutate("unknown location kind", (d) => (d.locations = ["moon"]), /locations/);
for (const bad of ["5", "5h", "0s", "-1s", "1.5s", "5 s", "9999999s", 5])
  mutate(`health interval ${JSON.stringify(bad)}`, (d) => (d.health = { interval: bad }), /health\.interval/);
mutate("unknown health setting", (d) => (d.health = { retries: 3 }), /health/);
for (const bad of ["spec..replicas", "spec.replicas[", "spec[x]", ".spec", "a b", ""])
  mutate(
    `drift ignore path ${JSON.stringify(bad)}`,
    (d) => (d.drift = { ignore: [{ kind: "Deployment", paths: [bad] }] }),
    /drift\.ignore\.0\.paths\.0.*not a field path/,
  );
for (const bad of ["deployment-x", "k8s:Deployment", "a:b:c:d", ""])
  mutate(`drift ignore kind ${JSON.stringify(bad)}`, (d) => (d.drift = { ignore: [{ kind: bad, paths: ["spec.replicas"] }] }), /drift\.ignore\.0\.kind/);
mutate("drift ignore with no path", (d) => (d.drift = { ignore: [{ kind: "Deployment", paths: [] }] }), /drift\.ignore\.0\.paths/);
mutate("component name too long", (d) => (d.components[0].name = "p" + "x".repeat(70)), /components\.0\.name/);

// Missing required fields.
for (const f of ["id", "version", "components"]) mutate(`no ${f}`, (d) => delete d[f], new RegExp(f));
mutate("component without use", (d) => delete d.components[0].use, /components\.0\.use/);
mutate("component without name", (d) => delete d.components[0].name, /components\.0\.name/);
mutate("required input missing", (d) => delete d.components[1].with.create, /needs the input create/);

// Bad versions and ids.
for (const v of ["1", "1.0", "v1.0.0", "01.0.0", "1.0.0.0", "latest", "1.0.0-", "", " 1.0.0", "1.0.x", "1.-1.0"]) {
  mutate(`version ${JSON.stringify(v)}`, (d) => (d.version = v), /version/);
}
for (const id of ["Web", "web_app", "-web", "", "x".repeat(80), "web app", "../web", "web/", "wéb", "web-"]) {
  mutate(`id ${JSON.stringify(id)}`, (d) => (d.id = id), /id/);
}

// Parameters.
for (const key of ["Bad", "1x", "a-b", "a.b", "x".repeat(70)]) {
  mutate(`parameter named ${key}`, (d) => (d.parameters[key] = { type: "string" }), /parameter names|parameters/);
}
mutate("unknown key in a parameter", (d) => (d.parameters.greeting.colour = "red"), /parameters\.greeting/);
mutate("secret with a default", (d) => (d.parameters.token.default = "x"), /secret parameter cannot have a default/);
mutate("secret environment", (d) => (d.parameters.upstream.secret = true), /environment parameter cannot be secret/);
mutate("default of the wrong type", (d) => (d.parameters.replicas.default = "two"), /the default does not fit: replicas is an integer/);
mutate("default below min", (d) => (d.parameters.replicas.default = 0), /at least 1/);
mutate("default outside enum", (d) => (d.parameters.greeting.enum = ["hi", "yo"]), /one of hi, yo/);
mutate("default against pattern", (d) => (d.parameters.greeting.default = "Hello!"), /matching/);
mutate("min above max", (d) => (d.parameters.replicas.min = 20), /min 20 is more than max 10/);
for (const p of ["(a)\\1", "(?<n>a)\\k<n>"]) mutate(`backreference ${p}`, (d) => (d.parameters.greeting.pattern = p), /backreferences/);
for (const p of ["(?=a)a", "(?!a)b", "(?<=a)b", "(?<!a)b"]) mutate(`lookaround ${p}`, (d) => (d.parameters.greeting.pattern = p), /lookarounds/);
for (const p of ["(", "[a-", "*a", "a{2,1}"]) mutate(`invalid pattern ${p}`, (d) => (d.parameters.greeting.pattern = p), /not a valid regular expression/);
for (const p of ["a{2000}", "(?P<n>a)(?P=n)"]) mutate(`pattern RE2 refuses ${p}`, (d) => (d.parameters.greeting.pattern = p), /RE2/);

// Components and expressions.
for (const use of ["random/dice", "aws/lambda", "tls/nothing", "command/remote"]) {
  mutate(`unknown component ${use}`, (d) => (d.components[0].use = use), new RegExp(`unknown component '${use}'; ${use.split("/")[0]} has `));
}
mutate(
  "unknown component group",
  (d) => (d.components[0].use = "nosuch/thing"),
  /unknown component 'nosuch\/thing'; the groups are random, tls, command, local, kubernetes, /,
);
mutate("duplicate component names", (d) => (d.components[1].name = "pet"), /used twice/);
mutate("unknown input", (d) => (d.components[0].with = { size: 3 }), /random\/pet has no input size; it takes length, prefix/);
const exprs: [string, RegExp][] = [
  ["${}", /not an expression/],
  ["${foo}", /not an expression/],
  ["${params.}", /not an expression/],
  ["${params.nope}", /no parameter named nope/],
  ["${components.ghost.id}", /no component named ghost/],
  ["${components.pet.colour}", /has no output colour; it has id/],
  ["${components.pet}", /not an expression/],
  ["${environments.greeting.url}", /greeting is not a parameter of type environment/],
  ["${environment.id}", /not an expression/],
  ["${params.greeting", /unclosed/],
  ["${process.env.HOME}", /not an expression/],
  ["${params.greeting.length}", /not an expression/],
  ["${require('fs')}", /not an expression/],
  ["${params['greeting']}", /not an expression/],
];
for (const [e, want] of exprs) {
  mutate(`input expression ${e}`, (d) => (d.components[1].with.environment.X = `x ${e}`), want);
  mutate(`output expression ${e}`, (d) => (d.outputs.bad = e), want);
}
mutate("self cycle", (d) => (d.components[1].with.environment.X = "${components.hello.stdout}"), /dependency cycle: hello -> hello/);
mutate(
  "two-component cycle",
  (d) => {
    d.components[0] = { name: "pet", use: "random/pet", with: { prefix: "${components.hello.stdout}" } };
  },
  /dependency cycle: pet -> hello -> pet|dependency cycle: hello -> pet -> hello/,
);
mutate(
  "three-component cycle",
  (d) => {
    d.components = [
      { name: "a", use: "command/local", with: { create: "echo", environment: { X: "${components.c.stdout}" } } },
      { name: "b", use: "command/local", with: { create: "echo", environment: { X: "${components.a.stdout}" } } },
      { name: "c", use: "command/local", with: { create: "echo", environment: { X: "${components.b.stdout}" } } },
    ];
    d.outputs = {};
  },
  /dependency cycle: a -> c -> b -> a/,
);
// Values never become shell text: a command takes no expression, whatever it names.
for (const field of ["create", "update", "delete"]) {
  for (const e of ["${params.greeting}", "${components.pet.id}", "${environments.upstream.url}", "${environment.name}"]) {
    mutate(
      `expression in a command's ${field}: ${e}`,
      (d) => (d.components[1].with[field] = `echo ${e}`),
      /an expression cannot go into a command.*environment/,
    );
  }
}
mutate("environment is not a map", (d) => (d.components[1].with.environment = "G=1"), /environment is a map/);
mutate("a map where a value goes", (d) => (d.components[0].with = { prefix: { A: "x" } }), /prefix is a single value or a list/);
mutate("a lowercase variable name", (d) => (d.components[1].with.environment = { path: "x" }), /NAME_LIKE_THIS|environment/);
mutate("a variable name with a space", (d) => (d.components[1].with.environment = { "A B": "x" }), /NAME_LIKE_THIS|environment/);
// Names of Object.prototype's members are not parameters, inputs or outputs.
for (const p of ["constructor", "toString", "hasOwnProperty", "valueOf"]) {
  mutate(`expression naming the prototype member ${p}`, (d) => (d.outputs.bad = `\${params.${p}}`), new RegExp(`no parameter named ${p}`));
  mutate(`output named after the prototype member ${p}`, (d) => (d.outputs.bad = `\${components.pet.${p}}`), new RegExp(`has no output ${p}`));
  mutate(`input named after the prototype member ${p}`, (d) => (d.components[0].with = { [p]: "x" }), new RegExp(`has no input ${p}`));
  mutate(
    `environment of the prototype member ${p}`,
    (d) => (d.outputs.bad = `\${environments.${p}.url}`),
    new RegExp(`${p} is not a parameter of type environment`),
  );
}
mutate("unknown top-level key", (d) => (d.dependencies = ["x"]), /dependencies|Unrecognized key/);
mutate("unknown key in a component", (d) => (d.components[0].when = "always"), /components\.0/);
mutate("too many components", (d) => (d.components = Array.from({ length: 201 }, (_, i) => ({ name: `p${i}`, use: "random/pet" }))), /components/);
mutate("a description too long", (d) => (d.description = "x".repeat(2001)), /description/);

// Hostile or broken YAML.
text("not YAML", "id: [unclosed\n  version: {", /not valid YAML/);
text("tabs for indentation", "id: web\n\tversion: 1.0.0\n", /not valid YAML/);
text("duplicate keys", "id: web\nid: other\nversion: 1.0.0\ncomponents: []\n", /not valid YAML.*(duplicate|unique)|Map keys must be unique/i);
text("two documents", "id: web\n---\nid: other\n", /not valid YAML|Source contains multiple documents/);
text("a scalar document", "just text\n", /\(top\)|expected object/);
text("a list document", "- id: web\n", /\(top\)|expected object/);
text("an empty document", "", /\(top\)|expected object/);
text("js function tag", "id: !!js/function 'function(){}'\nversion: 1.0.0\n", /not valid YAML|Unresolved tag/);
text("python object tag", "id: !!python/object:os.system ['id']\n", /not valid YAML|Unresolved tag/);
text("custom include tag", "id: web\nversion: !include ./version.yaml\n", /not valid YAML|Unresolved tag/);
text("binary tag", "id: !!binary aGVsbG8=\n", /not valid YAML|Unresolved tag|id/);
const laughs = ["a: &a [x, x, x, x, x, x, x, x, x]"];
for (let i = 1; i < 10; i++)
  laughs.push(
    `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [*${String.fromCharCode(96 + i)}, *${String.fromCharCode(96 + i)}, *${String.fromCharCode(96 + i)}, *${String.fromCharCode(96 + i)}, *${String.fromCharCode(96 + i)}, *${String.fromCharCode(96 + i)}, *${String.fromCharCode(96 + i)}, *${String.fromCharCode(96 + i)}, *${String.fromCharCode(96 + i)}]`,
  );
text("billion laughs", laughs.join("\n") + "\n", /aliases|Excessive alias count/);
text("deep nesting", "id: web\nversion: 1.0.0\ntags: " + "[".repeat(40) + "]".repeat(40) + "\n", /nested more than 12 levels/);
text("oversized", "id: web\nversion: 1.0.0\ndescription: |\n" + `  ${"x".repeat(100)}\n`.repeat(700), /more than the 65536 a template may have/);
text("nul bytes", "id: web\u0000\nversion: 1.0.0\n", /not valid YAML|id/);
text("undefined alias", "id: *nothing\n", /not valid YAML.*alias/i);
text("merge key bomb", "base: &b {x: 1}\nid: web\n<<: *b\n", /./);

describe("the malformed template corpus", () => {
  it("has at least 200 cases", () => {
    expect(cases.length).toBeGreaterThanOrEqual(200);
  });

  const seen = new Set<string>();
  it.each(cases.map(([name, c, want], i) => [`${i} ${name}`, c, want] as const))("%s", (label, c, want) => {
    const file = join(dir, `case-${label.split(" ")[0]}.yaml`);
    let body: string;
    if (typeof c === "string") body = c;
    else {
      const d = base();
      c(d);
      body = stringify(d);
    }
    writeFileSync(file, body);
    let err: unknown;
    try {
      loadTemplateFile(file);
    } catch (e) {
      err = e;
    }
    expect(err, `${label} was accepted`).toBeInstanceOf(TemplateError);
    const msg = (err as Error).message;
    expect(msg.startsWith(`${file}: `)).toBe(true);
    expect(msg).not.toContain("\n");
    expect(msg.length).toBeLessThan(600);
    expect(msg).toMatch(want);
    seen.add(msg.slice(file.length));
  });

  it("says every problem of a file at once, each in infra's words", () => {
    const file = join(dir, "many.yaml");
    const d = base() as Record<string, any>;
    d.version = 3;
    d.extra = true;
    writeFileSync(file, stringify(d));
    const err = (() => {
      try {
        loadTemplateFile(file);
      } catch (e) {
        return e as TemplateError;
      }
    })()!;
    expect(err.problems).toEqual([`${file}: version: expected a string, got a number`, `${file}: (top): unknown field extra`]);
    expect(err.message).toBe(`${file}: version: expected a string, got a number (and 1 more: infra template validate shows all)`);
    // Past the schema: each component on its own, so one bad entry does not hide the next.
    const e2 = base() as Record<string, any>;
    e2.components = [
      { name: "a", use: "random/nope" },
      { name: "b", use: "random/pet", with: { bogus: 1 } },
    ];
    writeFileSync(file, stringify(e2));
    const err2 = (() => {
      try {
        loadTemplateFile(file);
      } catch (e) {
        return e as TemplateError;
      }
    })()!;
    expect(err2.problems.map((p) => p.slice(file.length + 2).split(":")[0])).toEqual(expect.arrayContaining(["components.0.use", "components.1.with.bogus"]));
  });

  it("the base it mutates is valid", () => {
    const file = join(dir, "valid.yaml");
    writeFileSync(file, stringify(base()));
    expect(loadTemplateFile(file).spec.id).toBe("web");
  });
});
