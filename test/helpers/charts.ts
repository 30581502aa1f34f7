// A Helm chart repository on loopback for the tests: charts of our own from
// test/fixtures/charts, packed at the versions a test asks for, with the
// index.yaml Helm reads, over https (a certificate the caller gives) or http.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createServer as createHttp, type IncomingMessage, type ServerResponse } from "node:http";
import { createServer as createHttps } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { stringify } from "yaml";

export const chartsDir = new URL("../fixtures/charts/", import.meta.url).pathname;

export interface ChartVersion {
  chart: string; // a folder name under test/fixtures/charts
  version: string;
}

/** Packs each chart at its version into dir as <chart>-<version>.tgz, with an index.yaml. */
export function packCharts(dir: string, charts: ChartVersion[], baseUrl = ""): void {
  mkdirSync(dir, { recursive: true });
  const entries: Record<string, object[]> = {};
  for (const { chart, version } of charts) {
    const work = mkdtempSync(join(tmpdir(), "infra-chart-"));
    cpSync(join(chartsDir, chart), join(work, chart), { recursive: true });
    const meta = join(work, chart, "Chart.yaml");
    writeFileSync(meta, readFileSync(meta, "utf8").replace(/^version: .*$/m, `version: ${version}`));
    const file = `${chart}-${version}.tgz`;
    execFileSync("tar", ["-czf", join(dir, file), "-C", work, chart]);
    const digest = createHash("sha256")
      .update(readFileSync(join(dir, file)))
      .digest("hex");
    (entries[chart] ??= []).push({
      apiVersion: "v2",
      name: chart,
      version,
      urls: [baseUrl ? `${baseUrl}/${file}` : file],
      digest,
      created: new Date().toISOString(),
    });
  }
  writeFileSync(join(dir, "index.yaml"), stringify({ apiVersion: "v1", entries, generated: new Date().toISOString() }));
}

export interface ChartServer {
  url: string;
  requests: string[];
  close(): Promise<void>;
}

/** Serves dir's files (index.yaml and archives) on 127.0.0.1. */
export async function serveCharts(dir: string, tls?: { cert: string; key: string }): Promise<ChartServer> {
  const requests: string[] = [];
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const name = basename(decodeURIComponent((req.url ?? "/").split("?")[0]!));
    requests.push(name);
    try {
      const body = readFileSync(join(dir, name));
      res.writeHead(200, { "content-type": name.endsWith(".yaml") ? "text/yaml" : "application/gzip" }).end(body);
    } catch {
      res.writeHead(404).end("not found");
    }
  };
  const server = tls ? createHttps({ cert: readFileSync(tls.cert), key: readFileSync(tls.key) }, handler) : createHttp(handler);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `${tls ? "https" : "http"}://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
