import { execFile, spawnSync } from "node:child_process";
import { copyFileSync, readFileSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { runCli, tempDir } from "../support/cli.js";
import { PHI, seed } from "./report-fixture.js";

/**
 * `report --html` in a real headless browser (Debian's chromium), with every host name unresolvable:
 * the page must draw its charts from what is in the file alone. Without chromium the test is skipped
 * here (with a note) and fails in CI, like the Redis tests.
 */
const CHROMIUM = ["chromium", "chromium-browser"].find((name) => !spawnSync(name, ["--version"]).error);
const skip = CHROMIUM === undefined && process.env.CI !== "true";
if (skip)
  console.warn(
    "Skipping the HTML report browser test: chromium is not installed (apt-get install chromium).",
  );

const run = promisify(execFile);
/** Folders to remove after the test (the page, the screenshot, chromium's profile). */
const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});
const scratch = (prefix?: string) => {
  const dir = tempDir(prefix);
  made.push(dir);
  return dir;
};
const browse = (file: string, ...args: string[]) =>
  run(
    CHROMIUM ?? "chromium",
    [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--no-first-run",
      "--host-resolver-rules=MAP * ~NOTFOUND",
      `--user-data-dir=${scratch("portal-check-chromium-")}`,
      "--window-size=1200,1500",
      ...args,
      pathToFileURL(file).href,
    ],
    { timeout: 120_000, maxBuffer: 64 * 1024 * 1024 },
  );

describe.skipIf(skip)("portal-check report --html in a headless browser", () => {
  it("writes one offline page whose charts Chart.js draws, with no PHI", { timeout: 240_000 }, async () => {
    const cwd = scratch();
    const env = { DATABASE_URL: join(cwd, "db.sqlite"), STATS_RETENTION_DAYS: "3650" };
    await seed(env, cwd);
    const result = await runCli(
      ["report", "--since", "2026-11-01", "--until", "2026-11-30", "--by", "week", "--html", "report.html"],
      { env, cwd },
    );
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const file = join(cwd, "report.html");
    expect(result.stdout).toBe(`Wrote ${file}: open it in a browser (it needs no network).\n`);
    const html = readFileSync(file, "utf8");
    expect(html).toContain("Chart.js v4");
    expect(html).not.toMatch(/\s(src|href)=/); // nothing loaded from anywhere
    expect(html).not.toContain("Lopez");
    expect(html).not.toContain(PHI);

    const { stdout: dom } = await browse(file, "--dump-dom");
    // Four charts made (outcomes, checks, versions, weeks), and each drew pixels.
    expect(dom).toMatch(/<body[^>]* data-charts="4"/);
    expect(dom).toMatch(/<body[^>]* data-drawn="4"/);
    expect(dom).toContain("2026-W45");
    // The bars are stacked: 14.19's four conversations make one bar of height 4.
    expect(dom).toMatch(/<body[^>]* data-version-axis-max="4"/);

    const shot = join(cwd, "report.png");
    await browse(file, `--screenshot=${shot}`);
    expect(statSync(shot).size).toBeGreaterThan(20_000);
    // REPORT_SCREENSHOT=path keeps a copy to look at (README's docs/report-html.png came from here).
    if (process.env.REPORT_SCREENSHOT) copyFileSync(shot, process.env.REPORT_SCREENSHOT);
  });
});
