import { describe, expect, it } from "vitest";
import { UsageError } from "../../../src/core/errors.js";
import { NO_TRACING, startTracing, tracesEndpoint } from "../../../src/server/tracing.js";

describe("where traces go", () => {
  it("is off with no endpoint, or when the SDK or the traces exporter is switched off", async () => {
    expect(tracesEndpoint({})).toBeUndefined();
    expect(tracesEndpoint({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://c:4318", OTEL_SDK_DISABLED: "true" })).toBeUndefined();
    expect(tracesEndpoint({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://c:4318", OTEL_TRACES_EXPORTER: "none" })).toBeUndefined();
    expect(await startTracing("1.0.0", {})).toBe(NO_TRACING);
  });

  it("follows the SDK's rule: the general endpoint gets /v1/traces, the traces endpoint is used as is", () => {
    expect(tracesEndpoint({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318" })).toBe("http://collector:4318/v1/traces");
    expect(tracesEndpoint({ OTEL_EXPORTER_OTLP_ENDPOINT: "https://collector/otlp//" })).toBe("https://collector/otlp/v1/traces");
    expect(tracesEndpoint({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://a:4318", OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "http://b:4318/custom" })).toBe(
      "http://b:4318/custom",
    );
  });

  it("refuses an endpoint that is not an http(s) URL, naming the variable", () => {
    for (const [name, value] of [
      ["OTEL_EXPORTER_OTLP_ENDPOINT", "collector:4318"],
      ["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "grpc://collector:4317"],
    ] as const) {
      const err = (() => {
        try {
          tracesEndpoint({ [name]: value });
        } catch (e) {
          return e;
        }
      })() as UsageError;
      expect(err).toBeInstanceOf(UsageError);
      expect(err.message).toContain("is not an http(s) URL");
      expect(err.hint).toMatchObject({ field: name });
    }
  });
});
