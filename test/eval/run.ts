// `npm run eval`: scores `ask` retrieval on test/eval/questions.yaml and prints every miss.
// Exits 1 when a score is under its threshold, like the evaluation test.
import { loadContent } from "../../src/content/load.js";
import { evaluate, formatReport, loadEvalSet, THRESHOLDS } from "./eval-set.js";

const report = evaluate(loadContent().knowledge, loadEvalSet());
process.stdout.write(`${formatReport(report)}\n`);
process.exitCode = report.top1 >= THRESHOLDS.top1 && report.top3 >= THRESHOLDS.top3 ? 0 : 1;
