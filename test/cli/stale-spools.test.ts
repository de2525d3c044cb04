import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { removeStaleSpools } from "../../src/cli/validate/spool.js";
import { TSX_LOADER, tempDir } from "../support/cli.js";
import { outputOf } from "../support/process.js";

const MAIN = fileURLToPath(new URL("../../src/cli/main.ts", import.meta.url));
const dir = tempDir("portal-check-spools-");
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** `portal-check validate -` in a process of its own, its temporary folder `tmp`. */
function validate(tmp: string) {
  return spawn(process.execPath, ["--import", TSX_LOADER, MAIN, "validate", "-", "--today", "2025-06-01"], {
    cwd: dir,
    env: { PATH: process.env.PATH, TMPDIR: tmp },
  });
}

/** The run's spool folders in `tmp` (tsx keeps a cache folder of its own there too). */
const spools = (tmp: string) => readdirSync(tmp).filter((name) => name.startsWith("portal-check-validate-"));

const rows = (n: number) =>
  `Contact,Email,Portal,Authority,Patient,DOB,Status\n${Array.from(
    { length: n },
    // A birth date that is no day: its problem goes to a spool file as soon as it is read.
    (_, i) => `Jane Doe${i},jane${i}@example.com,Minor,Joint,Tom Doe${i},31/2/2015,Active`,
  ).join("\n")}\n`;

describe("validate's temporary files after a run was killed outright", () => {
  it("the next run removes the spool a SIGKILLed run left in $TMPDIR", async () => {
    const tmp = mkdtempSync(join(dir, "tmp-"));
    const killed = validate(tmp);
    const ended = outputOf(killed);
    killed.stdin.write(rows(300));
    // stdin stays open: the run is in the middle of its work, its spool on disk.
    const deadline = Date.now() + 60_000;
    while (!spools(tmp).some((name) => readdirSync(join(tmp, name)).length > 0)) {
      if (Date.now() > deadline) throw new Error(`no spool appeared in ${tmp}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const left = spools(tmp);
    expect(left).toEqual([expect.stringMatching(new RegExp(`^portal-check-validate-${killed.pid}-`))]);
    killed.kill("SIGKILL");
    expect((await ended).signal).toBe("SIGKILL");
    // Nothing could clean up: the spool (patient data) is still there.
    expect(spools(tmp)).toEqual(left);

    const next = validate(tmp);
    next.stdin.end(rows(2));
    const { code, signal } = await outputOf(next);
    expect({ code: code === null ? null : "exited", signal }).toEqual({ code: "exited", signal: null });
    expect(spools(tmp)).toEqual([]);
  }, 120_000);

  it("removes only its own folders whose run is gone (or long abandoned), never anything else", () => {
    const tmp = mkdtempSync(join(dir, "tmp-"));
    const make = (name: string) => {
      mkdirSync(join(tmp, name));
      writeFileSync(join(tmp, name, "spool"), "patient data");
      return name;
    };
    // A pid far above any pid_max: no such process.
    const dead = make("portal-check-validate-999999999-abc123");
    const running = make(`portal-check-validate-${process.ppid}-def456`);
    const abandoned = make(`portal-check-validate-${process.ppid}-old789`);
    const weekAgo = (Date.now() - 8 * 24 * 60 * 60 * 1000) / 1000;
    utimesSync(join(tmp, abandoned), weekAgo, weekAgo);
    const others = [make("portal-check-redis-1234"), make("someone-else-999999999-x")];
    writeFileSync(join(tmp, "portal-check-validate-999999998-file"), "not a folder");

    expect(removeStaleSpools(tmp).sort()).toEqual([join(tmp, abandoned), join(tmp, dead)].sort());
    expect(readdirSync(tmp).sort()).toEqual(
      [running, ...others, "portal-check-validate-999999998-file"].sort(),
    );
  });
});
