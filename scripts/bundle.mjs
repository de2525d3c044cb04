// The last step of `npm run build`: dist/cli/main.js (tsc's output) and everything it imports as one
// ES module bundle in dist/bundle/, which bin/portal-check runs. Resolving and reading a few hundred
// files from node_modules is most of a Node start-up; one file per chunk cuts `serve`'s cold start
// by about a third (see the README's performance table). Chunks keep the lazy imports lazy.
import { rmSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = fileURLToPath(new URL("../", import.meta.url));
const outdir = `${root}dist/bundle`;
rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints: [
    `${root}dist/cli/main.js`,
    // `validate` reads a large file's later parts on worker threads: their script, next to the chunks.
    { in: `${root}dist/cli/validate/part-worker.js`, out: "part-worker" },
    // `serve` checkpoints its SQLite file on a worker thread (src/store/checkpoints.ts).
    { in: `${root}dist/store/checkpoint-worker.js`, out: "checkpoint-worker" },
  ],
  outdir,
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  sourcemap: "linked",
  logLevel: "warning",
  external: [
    // A native addon: loaded from node_modules where npm built it.
    "better-sqlite3",
    // Loaded only when a chat model is configured; kept as the packages npm installed.
    "@langchain/*",
    "langchain",
    "langsmith",
    // Loaded only to read an .xlsx workbook (validate, Slack attachments); kept as npm installed it.
    "exceljs",
  ],
  // jsonc-parser's "main" is a UMD build whose require() calls esbuild cannot follow; its ES module
  // build is the same code.
  alias: { "jsonc-parser": "jsonc-parser/lib/esm/main.js" },
  // Bundled CommonJS packages (Bolt, Express, pino...) call require() for Node's own modules.
  banner: {
    js: 'import { createRequire as __bundleRequire } from "node:module"; const require = __bundleRequire(import.meta.url);',
  },
});
