import { defineConfig } from "vitest/config";

// Two projects: unit tests (no engine, fast) and e2e tests (the real Pulumi
// engine from the rig; slow, run one file at a time to spare the 2 cores).
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "unit",
          include: ["test/unit/**/*.test.ts"],
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: "e2e",
          include: ["test/e2e/**/*.test.ts"],
          testTimeout: 300_000,
          hookTimeout: 300_000,
          fileParallelism: false,
          setupFiles: ["test/helpers/rig-kubectl.ts"],
        },
      },
    ],
  },
});
