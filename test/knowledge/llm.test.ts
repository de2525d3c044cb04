import nock from "nock";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { loadContent } from "../../src/content/load.js";
import { chatModelFromEnv, LlmConfigError } from "../../src/core/knowledge/llm-provider.js";
import { answerQuestion } from "../../src/core/knowledge/qa.js";

/**
 * The optional LLM path against each provider's real HTTP API, answered by nock: no key, no
 * network. What is checked: what we send (only the retrieved sections, the question with PHI
 * patterns removed), and when the model's answer is used or replaced by the offline one.
 */

const { knowledge } = loadContent();
const QUESTION = "dad (jdoe@example.com) gets an Internal Server Error when he logs in";

const OPENAI = "https://api.openai.com";
const ANTHROPIC = "https://api.anthropic.com";
const OLLAMA = "http://ollama.test:11434";

const openaiReply = (content: string) => ({
  id: "chatcmpl-1",
  object: "chat.completion",
  created: 1_700_000_000,
  model: "gpt-4o-mini",
  choices: [{ index: 0, message: { role: "assistant", content }, finish_reason: "stop" }],
  usage: { prompt_tokens: 900, completion_tokens: 60, total_tokens: 960 },
});

async function llmFor(env: Record<string, string>) {
  const choice = await chatModelFromEnv(env);
  if (!choice) throw new Error("expected a chat model");
  return choice;
}

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

describe("LLM answers through OpenAI's chat completions API", () => {
  const env = { LLM_PROVIDER: "openai", OPENAI_API_KEY: "sk-test-not-a-real-key" };

  test("a cited answer is used, and the request holds only the retrieved sections", async () => {
    let sent:
      | { model: string; temperature: number; messages: Array<{ role: string; content: string }> }
      | undefined;
    const scope = nock(OPENAI)
      .post("/v1/chat/completions", (body) => {
        sent = body;
        return true;
      })
      .matchHeader("authorization", "Bearer sk-test-not-a-real-key")
      .reply(
        200,
        openaiReply(
          "Set the father's Authority to Exclusive or Joint if it is blank and your portal is from 2006 to 2010 [portal-authority]. Also look for an End Date before today [start-end-dates].",
        ),
      );
    const answer = await answerQuestion(knowledge, QUESTION, { version: "14.19", llm: await llmFor(env) });
    expect(scope.isDone()).toBe(true);
    expect(answer).toMatchObject({
      by: "llm",
      covered: true,
      checks: ["portal-authority", "start-end-dates"],
      citations: [
        { check: "portal-authority", version: "14.19", section: expect.stringContaining("Portal Authority") },
        {
          check: "start-end-dates",
          version: "14.19",
          section: expect.stringContaining("Start and End Dates"),
        },
      ],
    });
    expect(answer.answer).toContain("[portal-authority]");
    expect(answer.fallback).toBeUndefined();

    expect(sent?.model).toBe("gpt-4o-mini");
    expect(sent?.temperature).toBe(0);
    const [system, user] = sent?.messages ?? [];
    expect(system?.role).toBe("system");
    expect(system?.content).toContain("ONLY from the knowledge sections");
    expect(user?.content).toContain("<<portal-authority>>");
    expect(user?.content).toContain("Steps in OP 14.19");
    expect(user?.content).not.toContain("Steps in OP 14.10");
    expect(user?.content).not.toContain("<<patient-status>>");
    // The email address in the question never leaves the building.
    expect(user?.content).toContain("Question: dad (<email>) gets an Internal Server Error");
    expect(JSON.stringify(sent)).not.toContain("jdoe@example.com");
  });

  test("an answer naming a check id that does not exist falls back to the extractive answer", async () => {
    nock(OPENAI)
      .post("/v1/chat/completions")
      .reply(200, openaiReply("Reset the custody flag [custody-reset]."));
    const answer = await answerQuestion(knowledge, QUESTION, { llm: await llmFor(env) });
    expect(answer.by).toBe("extractive");
    expect(answer.fallback).toContain('"custody-reset", which is not an entry');
    expect(answer.checks[0]).toBe("portal-authority");
    expect(answer.answer).toContain("Most likely: The parent's Authority (custody) setting");
  });

  test("an answer that cites nothing falls back", async () => {
    nock(OPENAI).post("/v1/chat/completions").reply(200, openaiReply("Try clearing the browser cache."));
    const answer = await answerQuestion(knowledge, QUESTION, { llm: await llmFor(env) });
    expect(answer).toMatchObject({ by: "extractive", fallback: "the model's answer cites no section" });
  });

  test("an answer citing a real entry it was not given falls back", async () => {
    nock(OPENAI)
      .post("/v1/chat/completions")
      .reply(200, openaiReply("Make the patient Active [patient-status]."));
    const answer = await answerQuestion(knowledge, QUESTION, { llm: await llmFor(env) });
    expect(answer.by).toBe("extractive");
    expect(answer.fallback).toContain('"patient-status", which was not among the sections');
  });

  test("a refused key falls back with the reason", async () => {
    nock(OPENAI)
      .post("/v1/chat/completions")
      .reply(401, {
        error: {
          message: "Incorrect API key provided",
          type: "invalid_request_error",
          code: "invalid_api_key",
        },
      });
    const answer = await answerQuestion(knowledge, QUESTION, { llm: await llmFor(env) });
    expect(answer.by).toBe("extractive");
    expect(answer.fallback).toMatch(/^the model call failed: .*Incorrect API key/);
  });

  test("a model slower than LLM_TIMEOUT_MS is abandoned for the extractive answer", async () => {
    nock(OPENAI)
      .post("/v1/chat/completions")
      .times(2)
      .delay(3_000)
      .reply(200, openaiReply("Too late [portal-authority]."));
    const started = Date.now();
    const answer = await answerQuestion(knowledge, QUESTION, {
      llm: await llmFor({ ...env, LLM_TIMEOUT_MS: "1000" }),
    });
    expect(answer.by).toBe("extractive");
    expect(answer.fallback).toMatch(/^the model call failed/);
    expect(Date.now() - started).toBeLessThan(2_900);
  });

  test("a question the knowledge does not cover is answered offline without calling the model", async () => {
    const answer = await answerQuestion(knowledge, "how do I reschedule a well visit", {
      llm: await llmFor(env),
    });
    expect(answer).toMatchObject({ by: "extractive", covered: false, checks: [], citations: [] });
    expect(answer.fallback).toBeUndefined();
    expect(nock.pendingMocks()).toEqual([]);
  });
});

describe("LLM answers through Anthropic's messages API", () => {
  test("a cited answer is used", async () => {
    let sent:
      | { model: string; system?: unknown; messages: Array<{ role: string; content: unknown }> }
      | undefined;
    const scope = nock(ANTHROPIC)
      .post("/v1/messages", (body) => {
        sent = body;
        return true;
      })
      .matchHeader("x-api-key", "sk-ant-test")
      .reply(200, {
        id: "msg_1",
        type: "message",
        role: "assistant",
        model: "claude-3-5-haiku-latest",
        content: [
          {
            type: "text",
            text: "Search Contact Manager by her email and merge the two records [duplicate-contact].",
          },
        ],
        stop_reason: "end_turn",
        stop_sequence: null,
        usage: { input_tokens: 800, output_tokens: 40 },
      });
    const llm = await llmFor({ LLM_PROVIDER: "anthropic", ANTHROPIC_API_KEY: "sk-ant-test" });
    const answer = await answerQuestion(knowledge, "mom shows up twice with different last names", {
      version: "14.10",
      llm,
    });
    expect(scope.isDone()).toBe(true);
    expect(answer).toMatchObject({
      by: "llm",
      checks: ["duplicate-contact"],
      citations: [{ check: "duplicate-contact", version: "14.10" }],
    });
    expect(sent?.model).toBe("claude-3-5-haiku-latest");
    expect(JSON.stringify(sent?.system)).toContain("ONLY from the knowledge sections");
    expect(JSON.stringify(sent?.messages)).toContain("Activities");
  });
});

describe("LLM answers through Ollama's chat API", () => {
  test("a cited streamed answer is used", async () => {
    const lines = [
      {
        model: "llama3.1",
        created_at: "2026-01-01T00:00:00Z",
        message: { role: "assistant", content: "Her Minor access ended at 18 " },
        done: false,
      },
      {
        model: "llama3.1",
        created_at: "2026-01-01T00:00:01Z",
        message: { role: "assistant", content: "[patient-age]." },
        done: false,
      },
      {
        model: "llama3.1",
        created_at: "2026-01-01T00:00:02Z",
        message: { role: "assistant", content: "" },
        done: true,
        done_reason: "stop",
        prompt_eval_count: 700,
        eval_count: 20,
      },
    ];
    let sent: { model: string; stream: boolean } | undefined;
    const scope = nock(OLLAMA)
      .post("/api/chat", (body) => {
        sent = body;
        return true;
      })
      .reply(200, `${lines.map((line) => JSON.stringify(line)).join("\n")}\n`, {
        "content-type": "application/x-ndjson",
      });
    const llm = await llmFor({ LLM_PROVIDER: "ollama", OLLAMA_BASE_URL: OLLAMA });
    const answer = await answerQuestion(knowledge, "the kid just turned 18 and mom can't see anything", {
      llm,
    });
    expect(scope.isDone()).toBe(true);
    expect(sent?.model).toBe("llama3.1");
    expect(answer).toMatchObject({
      by: "llm",
      checks: ["patient-age"],
      answer: "Her Minor access ended at 18 [patient-age].",
    });
    // No version given: both versions are cited.
    expect(answer.citations.map((c) => c.version)).toEqual(["14.19", "14.10"]);
  });
});

describe("LLM settings", () => {
  test("no LLM_PROVIDER means the offline answerer", async () => {
    expect(await chatModelFromEnv({})).toBeUndefined();
    expect(await chatModelFromEnv({ LLM_PROVIDER: "" })).toBeUndefined();
  });

  test.each([
    [{ LLM_PROVIDER: "gemini" }, /LLM_PROVIDER must be one of openai, anthropic, ollama/],
    [{ LLM_PROVIDER: "openai" }, /LLM_PROVIDER=openai needs OPENAI_API_KEY/],
    [{ LLM_PROVIDER: "anthropic" }, /LLM_PROVIDER=anthropic needs ANTHROPIC_API_KEY/],
    [{ LLM_PROVIDER: "ollama" }, /LLM_PROVIDER=ollama needs OLLAMA_BASE_URL/],
    [{ LLM_PROVIDER: "ollama", OLLAMA_BASE_URL: "localhost" }, /OLLAMA_BASE_URL must be an http\(s\) URL/],
    [
      { LLM_PROVIDER: "openai", OPENAI_API_KEY: "k", LLM_TIMEOUT_MS: "soon" },
      /LLM_TIMEOUT_MS must be a number/,
    ],
  ])("%o is refused with a message naming the variable", async (env, message) => {
    await expect(chatModelFromEnv(env)).rejects.toThrowError(LlmConfigError);
    await expect(chatModelFromEnv(env)).rejects.toThrowError(message);
  });

  test("a key never appears in a settings error", async () => {
    const err = await chatModelFromEnv({
      LLM_PROVIDER: "openai",
      OPENAI_API_KEY: "sk-secret",
      LLM_TIMEOUT_MS: "x",
    }).catch((e: Error) => e);
    expect(String(err)).not.toContain("sk-secret");
  });
});
