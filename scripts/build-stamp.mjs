// `npm start` builds only when the build's inputs changed since the last successful build.
//
//   node scripts/build-stamp.mjs begin    first step of `npm run build`: fingerprints the inputs
//   node scripts/build-stamp.mjs end      last step: the build succeeded, so the fingerprint is kept
//   node scripts/build-stamp.mjs ensure   `npm start`: runs `npm run build` unless dist/ was built
//                                         from exactly the inputs there are now
//
// The fingerprint is a SHA-256 of every input's path and bytes (not modification times, which a
// checkout, a copy or an unpack changes without changing anything). It is taken when the build
// starts, so an edit made while the build runs is seen by the next start. A failed build keeps no
// fingerprint and the next start builds again.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../", import.meta.url));
/** What `npm run build` reads: the TypeScript, the content it snapshots, its configuration, the
 * bundler script, and the dependencies the bundle takes in (package-lock.json names their versions). */
const INPUTS = [
  "src",
  "knowledge",
  "flows",
  "scripts/bundle.mjs",
  "tsconfig.json",
  "tsconfig.build.json",
  "package.json",
  "package-lock.json",
];
/** The bundle bin/portal-check runs: without it there is no build, whatever the stamp says. */
const OUTPUT = join(root, "dist/bundle/main.js");
const STAMP = join(root, "dist/.build-inputs");
const PENDING = `${STAMP}.pending`;

function fingerprint() {
  const hash = createHash("sha256");
  for (const input of INPUTS) {
    const path = join(root, input);
    let files;
    try {
      files = readdirSync(path, { withFileTypes: true, recursive: true })
        .filter((e) => e.isFile())
        .map((e) => join(e.parentPath, e.name));
    } catch (err) {
      if (err.code === "ENOTDIR") files = [path];
      else if (err.code === "ENOENT") continue;
      else throw err;
    }
    for (const file of files.sort()) {
      hash.update(relative(root, file)).update("\0").update(readFileSync(file)).update("\0");
    }
  }
  return hash.digest("hex");
}

function read(file) {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
}

const step = process.argv[2];
if (step === "begin") {
  rmSync(STAMP, { force: true });
  mkdirSync(join(root, "dist"), { recursive: true });
  writeFileSync(PENDING, fingerprint());
} else if (step === "end") {
  if (existsSync(PENDING)) renameSync(PENDING, STAMP);
} else if (step === "ensure") {
  if (existsSync(OUTPUT) && read(STAMP) === fingerprint()) process.exit(0);
  process.stderr.write(
    existsSync(OUTPUT)
      ? "portal-check: the sources changed since the last build; building first.\n"
      : "portal-check: not built yet; building first.\n",
  );
  // The npm that runs `npm start` (npm_execpath), on the same Node; plain `npm` when run by hand.
  const npm = process.env.npm_execpath;
  const build = npm
    ? spawnSync(process.execPath, [npm, "run", "build", "--silent"], { cwd: root, stdio: "inherit" })
    : spawnSync("npm", ["run", "build", "--silent"], {
        cwd: root,
        stdio: "inherit",
        shell: process.platform === "win32",
      });
  if (build.error) throw build.error;
  process.exit(build.status ?? 1);
} else {
  process.stderr.write("usage: node scripts/build-stamp.mjs begin|end|ensure\n");
  process.exit(2);
}
