#!/usr/bin/env node
// Figures for reading templates (printed, not asserted). Needs `npm run build`.
// The server lists and finds templates on every request: what one look at every
// template folder costs once the files were parsed (unchanged files are only
// stat-ed), against the first look, which parses and checks every file (the
// baseline: what every request cost before).
//
// usage: node bench/templates.mjs
import { cpSync, mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const { allTemplates } = await import(pathToFileURL(join(root, "dist", "src", "templates", "load.js")).href);
// The built-in templates and the test ones, copied 10 times over (ids kept: the list is not checked for namesakes).
const path = [];
for (let i = 0; i < 10; i++) {
  const d = mkdtempSync(join(tmpdir(), "infra-bench-templates-"));
  cpSync(join(root, "test", "fixtures", "templates"), d, { recursive: true });
  path.push(d);
}
const env = { ...process.env, INFRA_HOME: mkdtempSync(join(tmpdir(), "infra-bench-home-")), INFRA_TEMPLATE_PATH: path.join(":") };
const files = allTemplates(env).length;

const time = (f) => {
  const t = performance.now();
  f();
  return performance.now() - t;
};
// Cold: a fresh copy of the folders each time, so nothing was parsed before.
const cold = [];
for (let i = 0; i < 5; i++) {
  const fresh = path.map((p) => {
    const d = mkdtempSync(join(tmpdir(), "infra-bench-templates-"));
    cpSync(p, d, { recursive: true });
    return d;
  });
  const e = { ...env, INFRA_TEMPLATE_PATH: fresh.join(":") };
  cold.push(time(() => allTemplates(e)));
}
const warm = [];
for (let i = 0; i < 50; i++) warm.push(time(() => allTemplates(env)));
const med = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(`${files} template files (${readdirSync(path[0]).length} per folder, ${path.length} folders and the built-in ones)`);
console.log(`every file parsed and checked: median ${med(cold).toFixed(1)} ms`);
console.log(`unchanged files, stat only:    median ${med(warm).toFixed(1)} ms  (${(med(cold) / med(warm)).toFixed(0)}x faster)`);
