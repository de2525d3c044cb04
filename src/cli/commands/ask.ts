import { text as readAll } from "node:stream/consumers";
import { loadContentQuickly } from "../../content/snapshot.js";
import { chatModelFromEnv, LlmConfigError } from "../../core/knowledge/llm-provider.js";
import { answerQuestion } from "../../core/knowledge/qa.js";
import { MAX_QUESTION_CHARS } from "../../core/knowledge/question.js";
import { type Command, opVersionOption, parseCommandArgs, UsageError, write } from "../io.js";

const HELP = `Usage: portal-check ask "<question>" [--json] [--op-version V]

Answers a question about a parent who cannot see their child on the former OP patient portal,
from knowledge/: the most likely check, its steps and where they come from. Offline by default;
with LLM_PROVIDER set (openai, anthropic or ollama), a chat model writes the answer from the
same sections and falls back to the offline answer if it cites anything else.

  --json           print { answer, checks, citations }
  --op-version V   steps for OP version V, one of knowledge/'s (also: OP_VERSION); without it, all
  -                read the question from standard input (keeps it out of shell history)
`;

export const ask: Command = async (args, io) => {
  const { values, positionals } = parse(args);
  if (values.help) {
    await write(io.stdout, HELP);
    return 0;
  }
  const fromStdin = positionals.length === 1 && positionals[0] === "-";
  const question = (fromStdin ? await readAll(io.stdin) : positionals.join(" ")).replace(/\s+/g, " ").trim();
  if (!question) {
    throw new UsageError(
      'ask needs a question, e.g. portal-check ask "dad gets a server error". Run `portal-check ask --help`.',
    );
  }
  if (question.length > MAX_QUESTION_CHARS) {
    throw new UsageError(
      `the question is ${question.length} characters long; ask in at most ${MAX_QUESTION_CHARS}.`,
    );
  }
  const { knowledge } = await loadContentQuickly();
  const version = opVersionOption(values["op-version"], io.env, knowledge);

  let llm: Awaited<ReturnType<typeof chatModelFromEnv>>;
  try {
    llm = await chatModelFromEnv(io.env);
  } catch (err) {
    if (err instanceof LlmConfigError) throw new UsageError(`LLM settings: ${err.message}.`);
    throw err;
  }
  const answer = await answerQuestion(knowledge, question, { version, llm });
  if (answer.fallback) {
    await write(
      io.stderr,
      `portal-check: the ${llm?.label} answer was not used (${answer.fallback}); this is the offline answer.\n`,
    );
  }
  if (values.json) {
    const { answer: text, checks, citations } = answer;
    await write(io.stdout, `${JSON.stringify({ answer: text, checks, citations }, null, 2)}\n`);
    return 0;
  }
  const hint = answer.covered
    ? "To walk every check in order: portal-check chat"
    : "Start the guided check with: portal-check chat";
  await write(io.stdout, `${answer.answer}\n\n${hint}\n`);
  return 0;
};

function parse(args: string[]) {
  return parseCommandArgs(
    {
      args,
      allowPositionals: true,
      options: {
        json: { type: "boolean" },
        "op-version": { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    },
    ". Run `portal-check ask --help`.",
  );
}
