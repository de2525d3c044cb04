// `npm run eval`: scores `ask` on both parts of the evaluation set, tuning and held-out, separately
// (top-1, top-3, number rate) and prints every miss. With LLM_PROVIDER set, the LLM answerer is
// scored on the held-out part too; without it, that run is skipped with a message.
// Exits 1 when the offline answerer misses a target on either part.
import { loadContent } from "../../src/content/load.js";
import { chatModelFromEnv, LlmConfigError } from "../../src/core/knowledge/llm-provider.js";
import { answerQuestion } from "../../src/core/knowledge/qa.js";
import { type EvalPart, evaluate, formatReport, loadEvalSet, meets, score } from "./eval-set.js";

const { knowledge } = loadContent();
let ok = true;
for (const part of ["tuning", "held-out"] as EvalPart[]) {
  const report = evaluate(knowledge, loadEvalSet(part));
  process.stdout.write(`${formatReport(report, part)}\n\n`);
  ok &&= meets(report, part);
}

let llm: Awaited<ReturnType<typeof chatModelFromEnv>>;
let skipped = "LLM_PROVIDER is not set (the offline answerer is the default)";
try {
  llm = await chatModelFromEnv(process.env);
} catch (err) {
  if (!(err instanceof LlmConfigError)) throw err;
  skipped = `LLM settings: ${err.message}`;
}
if (!llm) {
  process.stdout.write(`LLM evaluation skipped: ${skipped}.\n`);
} else {
  const cases = loadEvalSet("held-out");
  const answers = [];
  let fallbacks = 0;
  for (const c of cases) {
    const answer = await answerQuestion(knowledge, c.q, { llm });
    if (answer.fallback) fallbacks += 1;
    answers.push(answer);
  }
  const report = score(cases, answers);
  process.stdout.write(`${formatReport(report, "held-out", llm.label)}\n`);
  process.stdout.write(`  ${fallbacks} of ${cases.length} answers fell back to the offline answer\n`);
}
process.exitCode = ok ? 0 : 1;
