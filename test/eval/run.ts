// `npm run eval`: scores `ask` on every part of the evaluation set separately (the tuning part and
// each held-out*.yaml file; top-1, top-3, number rate) and prints every miss. With LLM_PROVIDER
// set, the LLM answerer is scored on the held-out parts too; without it, that run is skipped.
// Exits 1 when the offline answerer falls below a part's bar (eval-set.ts, thresholds).
//
//   npm run eval                          every part
//   npm run eval -- --part tuning         one part only (repeat --part for more): tune on this one
//   npm run eval -- --no-misses           the figures without the list of misses
//   npm run eval -- --file batch.yaml     a new batch (same format), scored before tuning on it
import { parseArgs } from "node:util";
import { loadContent } from "../../src/content/load.js";
import { chatModelFromEnv, LlmConfigError } from "../../src/core/knowledge/llm-provider.js";
import { answerQuestion } from "../../src/core/knowledge/qa.js";
import {
  evalParts,
  evaluate,
  formatReport,
  heldOutParts,
  loadEvalFile,
  loadEvalSet,
  meets,
  score,
} from "./eval-set.js";

const { values } = parseArgs({
  options: {
    part: { type: "string", multiple: true },
    "no-misses": { type: "boolean", default: false },
    file: { type: "string", multiple: true },
  },
});
const known = evalParts();
const parts = values.part ?? (values.file ? [] : known);
const unknown = parts.filter((part) => !known.includes(part));
if (unknown.length > 0) {
  process.stderr.write(`unknown part ${unknown.join(", ")}; the parts are ${known.join(", ")}\n`);
  process.exit(2);
}
const format = { misses: !values["no-misses"] };

const { knowledge } = loadContent();
let ok = true;
for (const part of parts) {
  const report = evaluate(knowledge, loadEvalSet(part));
  process.stdout.write(`${formatReport(report, part, format)}\n\n`);
  ok &&= meets(report, part);
}
for (const file of values.file ?? []) {
  const report = evaluate(knowledge, loadEvalFile(file));
  process.stdout.write(`${formatReport(report, file, format)}\n\n`);
}

const llmParts = parts.filter((part) => heldOutParts().includes(part));
let llm: Awaited<ReturnType<typeof chatModelFromEnv>>;
let skipped = "LLM_PROVIDER is not set (the offline answerer is the default)";
try {
  llm = await chatModelFromEnv(process.env);
} catch (err) {
  if (!(err instanceof LlmConfigError)) throw err;
  skipped = `LLM settings: ${err.message}`;
}
if (llmParts.length === 0) {
  // Only the tuning part was asked for: the LLM is scored on held-out parts alone.
} else if (!llm) {
  process.stdout.write(`LLM evaluation skipped: ${skipped}.\n`);
} else {
  for (const part of llmParts) {
    const cases = loadEvalSet(part);
    const answers = [];
    let fallbacks = 0;
    for (const c of cases) {
      const answer = await answerQuestion(knowledge, c.q, { llm });
      if (answer.fallback) fallbacks += 1;
      answers.push(answer);
    }
    const report = score(cases, answers);
    process.stdout.write(`${formatReport(report, part, { ...format, by: llm.label })}\n`);
    process.stdout.write(`  ${fallbacks} of ${cases.length} answers fell back to the offline answer\n\n`);
  }
}
process.exitCode = ok ? 0 : 1;
