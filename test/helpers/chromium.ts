// Debian's Chromium, headless, in a network namespace of its own (it has only
// a loopback there, so nothing it tries reaches past the machine), for the
// tests that look at what infra draws as a user's browser would.
import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const CHROMIUM = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find((p) => spawnSync(p, ["--version"]).status === 0);

/** Runs Chromium on a page: its DOM after the page's scripts ran (`dump`), or a PNG of it (`screenshot`). */
export function chromium(page: string, what: { dump: true } | { screenshot: string; width: number; height: number }): string {
  if (!CHROMIUM) throw new Error("chromium is not installed: apt-get install chromium (scripts/services.sh start does it as root)");
  const profile = mkdtempSync(join(tmpdir(), "infra-chromium-"));
  const args = [
    "--headless",
    "--no-sandbox", // root in a container: Chromium's own sandbox needs namespaces it may not have
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-default-apps",
    "--disable-sync",
    "--no-pings",
    "--allow-file-access-from-files",
    `--user-data-dir=${profile}`,
    // Lets the page's scripts (Mermaid's layout) finish before the DOM or the picture is taken.
    "--virtual-time-budget=10000",
    ...("dump" in what ? ["--dump-dom"] : [`--screenshot=${what.screenshot}`, `--window-size=${what.width},${what.height}`, "--hide-scrollbars"]),
    `file://${page}`,
  ];
  const isRoot = process.getuid?.() === 0;
  const r = spawnSync("unshare", [...(isRoot ? ["--net"] : ["--map-root-user", "--net"]), CHROMIUM, ...args], {
    encoding: "utf8",
    timeout: 120_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.status !== 0) throw new Error(`chromium failed (${r.status ?? r.signal}): ${r.stderr.slice(-2000)}`);
  return r.stdout;
}
