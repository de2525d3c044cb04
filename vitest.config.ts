import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    environment: "node",
    testTimeout: 20_000,
    hookTimeout: 30_000,
    // better-sqlite3 is a native addon: forks are the safe pool for it.
    pool: "forks",
  },
});
