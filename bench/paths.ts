import { fileURLToPath } from "node:url";

/** The repository root. */
export const ROOT = fileURLToPath(new URL("../", import.meta.url));

/** `node --import <this>` runs a TypeScript entry point (the fake Slack process, the rules and retrieval benchmarks). */
export const TSX_LOADER = new URL("../node_modules/tsx/dist/loader.mjs", import.meta.url).href;

/** The built CLI, what `npm start` and production run; `npm run bench` builds it first. */
export const CLI = fileURLToPath(new URL("../bin/portal-check", import.meta.url));

/** The bundle bin/portal-check loads (scripts/bundle.mjs, the last step of `npm run build`). */
export const CLI_BUILD = fileURLToPath(new URL("../dist/bundle/main.js", import.meta.url));
