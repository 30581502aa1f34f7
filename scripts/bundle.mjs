// Bundles the CLI into one CommonJS file, dist/cli/main.cjs. Measured on
// Node 20: loading commander through ESM costs ~14 ms, through require ~5 ms,
// and a bundle reads one file instead of dozens; together they are most of
// `infra env list`'s start-up. Command modules stay lazily initialised inside
// the bundle. External, loaded only where used: better-sqlite3 (a .node
// addon), @pulumi/* (one copy, shared with the programs), zod, yaml and re2js
// (templates; re2js alone is 300 KB the bundle would parse at every start), ora and the prompts (ESM-only: kept as real import()).
import { build } from "esbuild";
import { readFileSync } from "node:fs";

const { version } = JSON.parse(readFileSync("package.json", "utf8"));

// commander requires node:child_process when it loads, for executable
// subcommands infra does not use; with it come net, dgram and the streams
// (~5 ms at every start). Give commander a stand-in that loads it on first use.
const lazyChildProcess = {
  name: "lazy-child-process",
  setup(b) {
    b.onResolve({ filter: /^node:child_process$/ }, (args) =>
      args.importer.includes("node_modules/commander") ? { path: "lazy-child-process", namespace: "lazy" } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: "lazy" }, () => ({
      contents: 'module.exports = new Proxy({}, { get: (_, k) => require("node:child_process")[k] });',
      loader: "js",
    }));
  },
};

await build({
  plugins: [lazyChildProcess],
  entryPoints: ["src/cli/main.ts"],
  outfile: "dist/cli/main.cjs",
  bundle: true,
  format: "cjs",
  platform: "node",
  target: "node20",
  sourcemap: true,
  // Whitespace and syntax only (names stay readable in --debug traces): a smaller bundle parses faster.
  minifyWhitespace: true,
  minifySyntax: true,
  supported: { "dynamic-import": true },
  external: [
    "better-sqlite3",
    "pg",
    "@pulumi/*",
    "ora",
    "@inquirer/prompts",
    "zod",
    "yaml",
    "re2js",
    "fastify",
    "@fastify/swagger",
    "@opentelemetry/*",
    "@viz-js/viz",
  ],
  // import.meta.url, which pins.ts uses to find package.json, has no CommonJS twin.
  define: { "import.meta.url": "__infraFileUrl", __INFRA_VERSION__: JSON.stringify(version), __INFRA_BUNDLE__: "true" },
  banner: { js: 'const __infraFileUrl = require("node:url").pathToFileURL(__filename).href;' },
  logLevel: "warning",
});
