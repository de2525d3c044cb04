import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import { z } from "zod";

/**
 * Which chat model answers free-text questions, from the environment (passed in, never read
 * here). Unset LLM_PROVIDER means no model: the offline extractive answerer. The provider packages
 * are imported only when chosen, so the offline default never loads them.
 */

export const LLM_PROVIDERS = ["openai", "anthropic", "ollama"] as const;

/** Values people leave as `FOO=` in .env files mean "not set". */
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (typeof v === "string" && v.trim() === "" ? undefined : v), schema.optional());
const httpUrl = (example: string) =>
  z.url({ protocol: /^https?$/, error: `must be an http(s) URL such as ${example}` });

export const LlmEnv = z.object({
  LLM_PROVIDER: optional(
    z.enum(LLM_PROVIDERS, {
      error: `must be one of ${LLM_PROVIDERS.join(", ")} (or unset for offline answers)`,
    }),
  ),
  /** Model name; each provider has a default. */
  LLM_MODEL: optional(z.string().trim().min(1)),
  LLM_TIMEOUT_MS: optional(
    z.coerce.number({ error: "must be a number of milliseconds such as 20000" }).int().min(1000).max(120_000),
  ).transform((v) => v ?? 20_000),
  OPENAI_API_KEY: optional(z.string().trim()),
  OPENAI_BASE_URL: optional(httpUrl("https://api.openai.com/v1")),
  ANTHROPIC_API_KEY: optional(z.string().trim()),
  ANTHROPIC_BASE_URL: optional(httpUrl("https://api.anthropic.com")),
  OLLAMA_BASE_URL: optional(httpUrl("http://localhost:11434")),
});
export type LlmEnv = z.infer<typeof LlmEnv>;

export const DEFAULT_MODELS: Record<(typeof LLM_PROVIDERS)[number], string> = {
  openai: "gpt-4o-mini",
  anthropic: "claude-3-5-haiku-latest",
  ollama: "llama3.1",
};

/** A configuration mistake, worded for the person who set the environment. Never holds a key. */
export class LlmConfigError extends Error {
  override name = "LlmConfigError";
}

export interface ChatModelChoice {
  model: BaseChatModel;
  /** For messages: "openai gpt-4o-mini". */
  label: string;
  timeoutMs: number;
}

export async function chatModelFromEnv(
  env: Record<string, string | undefined>,
): Promise<ChatModelChoice | undefined> {
  const parsed = LlmEnv.safeParse(env);
  if (!parsed.success) {
    throw new LlmConfigError(
      parsed.error.issues.map((issue) => `${issue.path.join(".")} ${issue.message}`).join("; "),
    );
  }
  const config = parsed.data;
  if (!config.LLM_PROVIDER) return undefined;
  const name = config.LLM_MODEL ?? DEFAULT_MODELS[config.LLM_PROVIDER];
  const common = { model: name, temperature: 0, maxRetries: 1 };
  const timeoutMs = config.LLM_TIMEOUT_MS;
  let model: BaseChatModel;
  switch (config.LLM_PROVIDER) {
    case "openai": {
      if (!config.OPENAI_API_KEY) throw missing("OPENAI_API_KEY", "openai");
      const { ChatOpenAI } = await importProvider<typeof import("@langchain/openai")>("@langchain/openai");
      model = new ChatOpenAI({
        ...common,
        apiKey: config.OPENAI_API_KEY,
        timeout: timeoutMs,
        configuration: config.OPENAI_BASE_URL ? { baseURL: config.OPENAI_BASE_URL } : undefined,
      });
      break;
    }
    case "anthropic": {
      if (!config.ANTHROPIC_API_KEY) throw missing("ANTHROPIC_API_KEY", "anthropic");
      const { ChatAnthropic } =
        await importProvider<typeof import("@langchain/anthropic")>("@langchain/anthropic");
      model = new ChatAnthropic({
        ...common,
        apiKey: config.ANTHROPIC_API_KEY,
        anthropicApiUrl: config.ANTHROPIC_BASE_URL,
      });
      break;
    }
    case "ollama": {
      if (!config.OLLAMA_BASE_URL) throw missing("OLLAMA_BASE_URL", "ollama");
      const { ChatOllama } = await importProvider<typeof import("@langchain/ollama")>("@langchain/ollama");
      model = new ChatOllama({ ...common, baseUrl: config.OLLAMA_BASE_URL });
      break;
    }
  }
  return { model, label: `${config.LLM_PROVIDER} ${name}`, timeoutMs };
}

const missing = (variable: string, provider: string) =>
  new LlmConfigError(
    `LLM_PROVIDER=${provider} needs ${variable}; set it, or unset LLM_PROVIDER for offline answers`,
  );

async function importProvider<T>(pkg: string): Promise<T> {
  try {
    return (await import(pkg)) as T;
  } catch {
    throw new LlmConfigError(
      `the package ${pkg} is not installed; run \`npm install ${pkg}\` or unset LLM_PROVIDER`,
    );
  }
}
