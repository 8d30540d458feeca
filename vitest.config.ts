import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "unit",
          include: ["test/lib/**/*.test.ts", "test/functions/**/*.test.ts", "test/cli/**/*.test.ts", "test/deploy/**/*.test.ts"],
          // vitest's 5 s default is too tight when several suites share 2 cores; the tests that
          // do seconds of CPU work say so with test/heavy-test-timeout.ts.
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: "integration",
          include: ["test/integration/**/*.test.ts"],
          // Installs (first run only) and starts moto, Kafka and the schema registry once
          // for all integration test files, and stops them when the run ends.
          globalSetup: ["test/env/global-setup.ts"],
          // Generous: two copies of the suite may share 2 cores with other work. Tests wait on
          // conditions, so a deadline only bounds how long a real failure takes to show.
          testTimeout: 120_000,
          hookTimeout: 240_000,
        },
      },
    ],
  },
});
