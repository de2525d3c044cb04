import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    environment: "node",
    testTimeout: 20_000,
    hookTimeout: 30_000,
    // better-sqlite3 is a native addon: forks are the safe pool for it.
    pool: "forks",
    // In CI a failed test runs once more: a rare flake (a killed process, a loaded machine) must not
    // block a change, but a test that fails twice fails the run, and the flaky reporter names every
    // test that needed the retry. Locally nothing is retried, so a flake shows at once.
    retry: process.env.CI ? 1 : 0,
    reporters: ["default", fileURLToPath(new URL("./test/support/flaky-reporter.ts", import.meta.url))],
  },
});
