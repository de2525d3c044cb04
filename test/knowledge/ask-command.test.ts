import { execFile } from "node:child_process";
import { Readable, Writable } from "node:stream";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import nock from "nock";
import { afterEach, describe, expect, test } from "vitest";
import { main } from "../../src/cli/main.js";

/** Runs `portal-check ask ...` in-process with captured output. */
async function ask(args: string[], options: { env?: Record<string, string>; stdin?: string } = {}) {
  let stdout = "";
  let stderr = "";
  const sink = (append: (s: string) => void) =>
    new Writable({
      write(chunk, _encoding, done) {
        append(String(chunk));
        done();
      },
    });
  const code = await main(["ask", ...args], {
    stdin: Readable.from(options.stdin === undefined ? [] : [options.stdin]),
    stdout: sink((s) => {
      stdout += s;
    }),
    stderr: sink((s) => {
      stderr += s;
    }),
    env: options.env ?? {},
    cwd: process.cwd(),
  });
  return { code, stdout, stderr };
}

afterEach(() => {
  nock.cleanAll();
  nock.enableNetConnect();
});

describe("portal-check ask", () => {
  test("--json prints { answer, checks, citations } with the right check first", async () => {
    const { code, stdout, stderr } = await ask(["mom shows up twice with different last names", "--json"]);
    expect(code).toBe(0);
    expect(stderr).toBe("");
    const out = JSON.parse(stdout);
    expect(Object.keys(out)).toEqual(["answer", "checks", "citations"]);
    expect(out.checks[0]).toBe("duplicate-contact");
    expect(out.citations).toEqual([
      { check: "duplicate-contact", version: "14.19", section: "The parent might have a duplicate contact" },
      { check: "duplicate-contact", version: "14.10", section: "The parent might have a duplicate contact" },
    ]);
  });

  test("words without quotes form the question; --op-version picks the steps", async () => {
    const { code, stdout } = await ask(["--op-version", "14.10", "kid", "turned", "18"]);
    expect(code).toBe(0);
    expect(stdout).toContain("[patient-age]");
    expect(stdout).toContain("In OP 14.10:");
    expect(stdout).not.toContain("In OP 14.19:");
    expect(stdout).toContain("portal-check chat");
  });

  test("OP_VERSION in the environment is the default version", async () => {
    const { stdout } = await ask(["patient is inactive", "--json"], { env: { OP_VERSION: "14.10" } });
    expect(JSON.parse(stdout).citations).toEqual([
      { check: "patient-status", version: "14.10", section: "Patient Status needs to be set to Active" },
    ]);
  });

  test("- reads the question from standard input", async () => {
    const { code, stdout } = await ask(["-", "--json"], { stdin: "who do I call\nwhen nothing works?\n" });
    expect(code).toBe(0);
    const out = JSON.parse(stdout);
    expect(out.answer).toContain("800-218-9916");
    expect(out.checks).toEqual([]);
  });

  test("an uncovered question says so and points to the guided check", async () => {
    const { code, stdout } = await ask(["how do I reschedule a well visit"]);
    expect(code).toBe(0);
    expect(stdout).toContain("That is outside what I cover");
    expect(stdout).toContain("Start the guided check with: portal-check chat");
  });

  test.each([
    [[], /ask needs a question/],
    [["   "], /ask needs a question/],
    [["x", "--op-version", "20"], /--op-version \(or OP_VERSION\) must be 14.19 or 14.10, not "20"/],
    [["x", "--verbose"], /Unknown option '--verbose'.*portal-check ask --help/],
    [["x".repeat(4001)], /4001 characters long; ask in at most 4000/],
  ])("bad usage %# exits 2 with one clear line", async (args, message) => {
    const { code, stdout, stderr } = await ask(args as string[]);
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toMatch(message);
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  test("an incomplete LLM setting is refused before any answer", async () => {
    const { code, stderr } = await ask(["custody"], { env: { LLM_PROVIDER: "anthropic" } });
    expect(code).toBe(2);
    expect(stderr).toContain("LLM settings: LLM_PROVIDER=anthropic needs ANTHROPIC_API_KEY");
  });

  test("with LLM_PROVIDER set, the model's cited answer is printed; a bad one falls back with a note", async () => {
    nock.disableNetConnect();
    const env = { LLM_PROVIDER: "openai", OPENAI_API_KEY: "sk-test", OPENAI_BASE_URL: "http://llm.test/v1" };
    const reply = (content: string) => ({
      id: "c1",
      object: "chat.completion",
      created: 1,
      model: "gpt-4o-mini",
      choices: [{ index: 0, message: { role: "assistant", content }, finish_reason: "stop" }],
    });
    nock("http://llm.test")
      .post("/v1/chat/completions")
      .reply(200, reply("Check the End Date [start-end-dates]."));
    const good = await ask(["the nanny was let go", "--json"], { env });
    expect(JSON.parse(good.stdout)).toMatchObject({
      answer: "Check the End Date [start-end-dates].",
      checks: ["start-end-dates"],
    });
    expect(good.stderr).toBe("");

    nock("http://llm.test").post("/v1/chat/completions").reply(200, reply("It is the [nanny-check]."));
    const bad = await ask(["the nanny was let go", "--json"], { env });
    expect(JSON.parse(bad.stdout).answer).toMatch(/^Most likely: Start and End Dates/);
    expect(bad.stderr).toContain('the openai gpt-4o-mini answer was not used (the model cited "nanny-check"');
  });
});

describe("as a process", () => {
  test("exits 0 and prints parseable JSON", async () => {
    const root = fileURLToPath(new URL("../../", import.meta.url));
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ["--import", "tsx", "src/cli/main.ts", "ask", "dad gets an Internal Server Error", "--json"],
      { cwd: root, env: { PATH: process.env.PATH } },
    );
    expect(JSON.parse(stdout).checks[0]).toBe("portal-authority");
  });
});
