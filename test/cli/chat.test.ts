import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli, TSX_LOADER, tempDir } from "../support/cli.js";

const lines = (...l: string[]) => `${l.join("\n")}\n`;
const NOT_FIXED_8 = Array.from({ length: 8 }, () => "2");

describe("portal-check chat (piped stdin)", () => {
  it("walks all eight checks to a printed escalation with the support number and the steps taken", async () => {
    const dir = tempDir();
    const { code, stdout, stderr } = await runCli(["chat"], {
      cwd: dir,
      env: {},
      stdin: lines(
        "1", // OP 14.19
        ...NOT_FIXED_8,
        "Dana Example",
        "dana@example.com",
        "Dana.Work@Example.com",
        "",
        "Sam Example",
        "Riley Example",
        "",
        "merged the two contacts for Dana",
        "",
        "yes",
      ),
    });
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(stdout.match(/Check \d of 8 · OP 14\.19/g)).toHaveLength(8);
    const report = stdout.slice(stdout.indexOf("ESCALATION:"));
    expect(report).toContain("800-218-9916");
    expect(report).toContain("Parent: Dana Example");
    expect(report).toContain("dana@example.com, dana.work@example.com");
    expect(report).toContain("Sam Example; Riley Example");
    expect(report).toMatch(/authorized: yes/);
    expect(report.match(/still not visible after this check/g)).toHaveLength(8);
    expect(report).toContain("merged the two contacts for Dana");
  });

  it("uses --op-version; 'fixed' shows the article's after-change steps and resolves once the parent confirmed", async () => {
    const { code, stdout } = await runCli(["chat", "--op-version", "14.10"], {
      stdin: lines("2", "skip", "fixed", "yes"),
    });
    expect(code).toBe(0);
    expect(stdout).not.toMatch(/WHICH OP VERSION/);
    expect(stdout).toMatch(/Check 1 of 8 · OP 14\.10/);
    const after = stdout.slice(stdout.indexOf("After the change · OP 14.10"));
    expect(after).toMatch(
      /Change made at “The patient must be Active”: set the patient's Status to Active\./,
    );
    expect(after).toMatch(/1\. Call the parent\.\n {2}2\. Ask them to log in to the patient portal\./);
    expect(after).toMatch(
      /Has the parent logged in and confirmed that they see their children\?\n {2}1\) Parent confirmed/,
    );
    expect(stdout.indexOf("After the change")).toBeLessThan(stdout.indexOf("RESOLVED: "));
    expect(stdout).toMatch(/The parent confirmed they see the child after this change/);
  });

  it("keeps a conversation waiting for the parent open, and comes back to the question next time", async () => {
    const dir = tempDir();
    const first = await runCli(["chat", "--op-version", "14.19"], {
      cwd: dir,
      stdin: lines("fixed", "waiting"),
    });
    expect(first.stdout).toMatch(/WAITING FOR THE PARENT TO CONFIRM/);
    expect(first.stdout).toMatch(/Input ended\. The conversation is saved/);
    // Next time: the question again, and the parent still cannot see the child reopens the checks.
    const second = await runCli(["chat"], { cwd: dir, stdin: lines("no") });
    expect(second.stdout).toMatch(/Resuming the conversation[\s\S]*Waiting for the parent · OP 14\.19/);
    expect(second.stdout).toMatch(/Check 2 of 8/);
    const third = await runCli(["chat"], {
      cwd: dir,
      stdin: lines("escalate", "Dana Example", "dana@example.com", "", "Sam Example", "", "", "yes"),
    });
    // Support reads which change was made and that the parent did not confirm it.
    expect(third.stdout.slice(third.stdout.indexOf("ESCALATION:"))).toMatch(
      /Each parent needs an email address of their own: gave each parent an email address of their own; the parent still cannot see the child/,
    );
  });

  it("answers unknown input and bad form values with what is accepted, keeping what was typed", async () => {
    const { stdout } = await runCli(["chat", "--op-version", "14.19"], {
      stdin: lines(
        "9",
        "maybe",
        "escalate",
        "Dana Example",
        "not-an-email",
        "",
        "dana@example.com",
        "",
        "Sam",
        "",
        "",
        "perhaps",
        "no",
      ),
    });
    expect(stdout).toContain('"maybe" is not one of the choices.');
    expect(stdout).toMatch(/Type a number from 1 to 5/);
    // Each list line is checked as it is typed (it was the whole list at its end).
    expect(stdout).toMatch(/That line was not added: this is not an email address \("not-an-email"\)/);
    expect(stdout).toMatch(/That does not work: answer yes or no/);
    expect(stdout).toContain("Parent: Dana Example");
    expect(stdout).toMatch(/authorized: NO/);
  });

  it("rejects a bad --op-version with a one-line message and exit 2", async () => {
    const { code, stderr } = await runCli(["chat", "--op-version", "15"]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/--op-version \(or OP_VERSION\) must be 14\.19 or 14\.10, not "15"/);
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it("says the conversation is saved when the input ends mid-way, and resumes it next time", async () => {
    const dir = tempDir();
    const first = await runCli(["chat", "--op-version", "14.19"], { cwd: dir, stdin: lines("2", "2") });
    expect(first.stdout).toMatch(/Input ended\. The conversation is saved/);
    const second = await runCli(["chat"], { cwd: dir, stdin: "" });
    expect(second.stdout).toMatch(/Resuming the conversation/);
    expect(second.stdout).toMatch(/Check 3 of 8/);
    const fresh = await runCli(["chat", "--new", "--op-version", "14.19"], { cwd: dir, stdin: "" });
    expect(fresh.stdout).toMatch(/Check 1 of 8/);
  });
});

describe("portal-check chat: rough edges", () => {
  it("the README's piped example starts a new conversation even when one is saved half-way", async () => {
    const readme = readFileSync(join(import.meta.dirname, "../../README.md"), "utf8");
    const example = /^printf '([^']*)' \| bin\/portal-check (chat[^\n]*)$/m.exec(readme);
    expect(example, "the README has a piped chat example").not.toBeNull();
    const [, input = "", command = ""] = example ?? [];
    const args = command.split(/\s+/).filter(Boolean);
    expect(args).toContain("--new");

    const dir = tempDir();
    // Someone walked two checks of OP 14.10 and stopped.
    const before = await runCli(["chat", "--op-version", "14.10"], { cwd: dir, stdin: lines("2", "2") });
    expect(before.stdout).toMatch(/Check 3 of 8 · OP 14\.10/);

    const { code, stdout } = await runCli(args, { cwd: dir, stdin: input.replaceAll("\\n", "\n") });
    expect(code).toBe(0);
    expect(stdout).not.toMatch(/Resuming/);
    expect(stdout).toMatch(/WHICH OP VERSION/);
    expect(stdout).toMatch(/Check 3 of 8 · OP 14\.19/);
    expect(stdout).toMatch(/RESOLVED: /);
  });

  it("the version question offers only what works there, and help explains each word", async () => {
    const { stdout } = await runCli(["chat"], {
      stdin: lines("skip", "escalate", "help", "back", "2", "help"),
    });
    const [version = "", check = ""] = stdout.split(/Check 1 of 8/);
    expect(version).toContain('"skip" does not work on this question');
    expect(version).toContain('"escalate" does not work on this question');
    expect(version).toContain("Type a number from 1 to 3, or quit, help.");
    expect(version).not.toMatch(/skip, escalate/);
    expect(version).not.toMatch(/ESCALATE TO OP SUPPORT|WHAT TO GATHER/i);
    expect(version).toContain("The version can also be typed: 14.19, 14.10 or 20.");
    // back on the first screen: said, not a silent redraw of the same question
    expect(version).toContain("(Nothing to undo yet");
    expect(version.match(/WHICH OP VERSION/g)).toHaveLength(1);
    // help on a check explains what each word does
    expect(check).toMatch(/ {2}skip {6}go on to the next check without answering this one/);
    expect(check).toMatch(/ {2}escalate {2}stop the checks/);
    expect(check).toMatch(
      / {2}quit {6}stop here; the conversation is saved and `bin\/portal-check chat` continues it/,
    );
  });

  it("escalation questions: a bad email line keeps the good ones; one word is not a full name", async () => {
    const { stdout } = await runCli(["chat", "--op-version", "14.19"], {
      stdin: lines(
        "escalate",
        "Jane",
        "Jane Example",
        "jane@example.com",
        "jane at work",
        "jane.work@example.com",
        "",
        "Sam Example",
        "",
        "",
        "no",
      ),
    });
    expect(stdout).toContain(
      "That does not work: give the parent's first and last name (at least two words).",
    );
    expect(stdout).toContain(
      'That line was not added: this is not an email address ("jane at work"). The line before it is kept.',
    );
    const report = stdout.slice(stdout.indexOf("ESCALATION:"));
    expect(report).toContain("Parent: Jane Example");
    expect(report).toContain("jane@example.com, jane.work@example.com");
  });
});

describe("portal-check chat, killed mid-way", () => {
  const ENTRY = join(import.meta.dirname, "../../src/cli/main.ts");

  function start(cwd: string): {
    child: ChildProcessWithoutNullStreams;
    output: () => string;
    waitFor: (re: RegExp) => Promise<void>;
  } {
    const child = spawn(process.execPath, ["--import", TSX_LOADER, ENTRY, "chat", "--op-version", "14.10"], {
      cwd,
      env: { ...process.env, DATABASE_URL: join(cwd, "db.sqlite"), OP_VERSION: "" },
    });
    let out = "";
    let err = "";
    child.stderr.on("data", (d) => {
      err += d;
    });
    const waiters: Array<{ re: RegExp; resolve: () => void }> = [];
    child.stdout.on("data", (d) => {
      out += d;
      for (const w of waiters.filter((w) => w.re.test(out))) w.resolve();
    });
    const waitFor = (re: RegExp) =>
      new Promise<void>((resolve, reject) => {
        if (re.test(out)) return resolve();
        const timer = setTimeout(
          () =>
            reject(
              new Error(`timed out waiting for ${re}; got:\n${out.slice(-500)}\nstderr:\n${err.slice(-500)}`),
            ),
          60_000,
        );
        waiters.push({
          re,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        });
      });
    return { child, output: () => out, waitFor };
  }

  it("resumes at the same check after SIGKILL", async () => {
    const dir = tempDir();
    const one = start(dir);
    await one.waitFor(/Check 1 of 8/);
    one.child.stdin.write("2\n");
    await one.waitFor(/Check 2 of 8/);
    one.child.stdin.write("3\n");
    await one.waitFor(/Check 3 of 8/);
    one.child.kill("SIGKILL");
    await new Promise((r) => one.child.once("exit", r));

    const two = start(dir);
    await two.waitFor(/Resuming the conversation[\s\S]*Check 3 of 8/);
    two.child.stdin.write("back\n");
    await two.waitFor(/Check 2 of 8 · OP 14\.10[\s\S]*$/);
    two.child.stdin.end("quit\n");
    await new Promise((r) => two.child.once("exit", r));
    expect(two.output()).toMatch(/Saved\. Run `bin\/portal-check chat` to continue/);
    // Two TypeScript children started one after the other: generous, so a busy machine does not fail it.
  }, 180_000);
});
