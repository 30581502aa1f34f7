import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { readableLines } from "../../../src/server/log-lines.js";

describe("the server's log on a terminal", () => {
  it("is one readable line per entry, with the fields that matter", async () => {
    const out = new PassThrough();
    let text = "";
    out.on("data", (d) => (text += d));
    const w = readableLines(out);
    w.write(
      JSON.stringify({
        level: 30,
        time: Date.UTC(2026, 0, 2, 3, 4, 5),
        pid: 1,
        hostname: "h",
        reqId: "r",
        msg: "POST /api/v1/environments 202",
        status: 202,
        token: "ci",
      }) + "\n",
    );
    w.write("not json\n");
    await new Promise((r) => w.end(r));
    expect(text).toBe("03:04:05 INFO  POST /api/v1/environments 202  status=202 token=ci\nnot json\n");
  });
});
