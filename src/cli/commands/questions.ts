import { appendFileSync, readFileSync } from "node:fs";
import { basename, resolve } from "node:path";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { loadContent, PROJECT_ROOT } from "../../content/load.js";
import { QUESTIONS_FILE } from "../../content/sources.js";
import {
  evalEntriesFrom,
  questionsToReview,
  ReviewedItem,
  type ReviewItem,
} from "../../core/feedback/review.js";
import { LabelledQuestion } from "../../core/knowledge/labelled-questions.js";
import { type Command, parseCommandArgs, UsageError, write } from "../io.js";
import { openCliStore } from "../store.js";

const HELP = `Usage: portal-check questions [--json] [--limit N]
       portal-check questions --to-eval REVIEWED.json [--eval-file FILE]

Lists the questions staff asked the Slack app that are worth a content maintainer's look:
refused ("unanswered"), answered with the guided check, rated 👎 or "this did not help", and
answers retrieval was unsure of ("low-confidence"); most frequent first. Names, emails, phone
numbers, dates and numbers were removed before the questions were stored, and they are kept
FEEDBACK_RETENTION_DAYS days (default 90).

  --json             print the list as JSON: an array of { text, count, reasons, answered,
                     verdicts, lastAskedAt }
  --limit N          show at most N questions (default 50)
  --to-eval FILE     turn a reviewed list into evaluation entries: FILE is the JSON of --json
                     where each reviewed item got "accept" (entry ids, ["guide"] for the guided
                     check, [] for outside the domain) and, for a support-number question,
                     "number": true. Items without "accept" are skipped. The entries are appended
                     to the labelled questions (knowledge/questions.yaml): the classifier learns
                     from them once the app restarts, and they are the evaluation's TUNING
                     part. Never to a held-out part.
  --eval-file FILE   where --to-eval appends (default knowledge/questions.yaml)

Reads the store the app uses: REDIS_URL if set, otherwise DATABASE_URL.
`;

const DEFAULT_LIMIT = 50;

export const questions: Command = async (args, io) => {
  const { values } = parseOrExplain(args);
  if (values.help) {
    await write(io.stdout, HELP);
    return 0;
  }
  if (values["to-eval"] !== undefined) return toEval(values["to-eval"], values["eval-file"], io);
  const limit = limitFrom(values.limit);
  const store = await openCliStore(io);
  let items: ReviewItem[];
  try {
    items = questionsToReview(await store.listQuestions(new Date())).slice(0, limit);
  } finally {
    await store.close();
  }
  if (values.json) {
    await write(io.stdout, `${JSON.stringify(items, null, 2)}\n`);
    return 0;
  }
  if (items.length === 0) {
    await write(io.stdout, "No questions to review: nothing refused, guided, rated 👎 or unsure.\n");
    return 0;
  }
  const lines = items.map(
    (item) =>
      `${String(item.count).padStart(4)}×  ${item.text}\n       ${item.reasons.join(", ")}; answered: ${item.answered.join(", ")}${
        item.verdicts.down || item.verdicts["not-helped"] || item.verdicts.up
          ? `; 👍 ${item.verdicts.up} 👎 ${item.verdicts.down} did not help ${item.verdicts["not-helped"]}`
          : ""
      }`,
  );
  await write(
    io.stdout,
    `${items.length} question${items.length === 1 ? "" : "s"} to review, most frequent first:\n\n${lines.join("\n")}\n\nLabel them and add them with --to-eval (to knowledge/questions.yaml, which the classifier learns from), or add the words staff used to an entry's front matter \`examples\`; then run \`npm run eval\`.\n`,
  );
  return 0;
};

const REVIEWED_FORMAT =
  ' Each item needs "text" and, once reviewed, "accept": a list of entry ids, ["guide"] or [].';

async function toEval(file: string, evalFile: string | undefined, io: Parameters<Command>[1]) {
  const target = resolve(io.cwd, evalFile ?? `${PROJECT_ROOT}${QUESTIONS_FILE}`);
  if (/held-?out/i.test(basename(target))) {
    throw new UsageError(
      `--to-eval never writes to the held-out part of the evaluation set: its questions are written before any tuning. Give the labelled questions (${QUESTIONS_FILE}, the tuning part).`,
    );
  }
  let reviewed: ReviewedItem[];
  try {
    const parsed = z.array(ReviewedItem).safeParse(JSON.parse(readFileSync(resolve(io.cwd, file), "utf8")));
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new UsageError(
        `${file}: item ${String(issue?.path[0] ?? "?")}, ${issue?.path.slice(1).join(".") || "item"}: ${issue?.message}.${REVIEWED_FORMAT}`,
      );
    }
    reviewed = parsed.data;
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError(
      `cannot read ${file} as a reviewed list (the JSON of \`portal-check questions --json\`): ${(err as Error).message}`,
    );
  }
  // Which entry ids there are is the content's (the schema only checks their form).
  const { knowledge } = loadContent();
  reviewed.forEach((item, i) => {
    const j = (item.accept ?? []).findIndex((id) => id !== "guide" && !knowledge.has(id));
    if (j >= 0) {
      throw new UsageError(
        `${file}: item ${i}, accept.${j}: no knowledge entry "${item.accept?.[j]}".${REVIEWED_FORMAT}`,
      );
    }
  });
  let existing: string[];
  try {
    const current = parseYaml(readFileSync(target, "utf8")) ?? [];
    existing = z
      .array(LabelledQuestion)
      .parse(current)
      .map((entry) => entry.q);
  } catch (err) {
    throw new UsageError(`cannot read the evaluation file ${target}: ${(err as Error).message}`);
  }
  const { entries, skipped } = evalEntriesFrom(reviewed, existing);
  if (entries.length > 0) {
    appendFileSync(
      target,
      `\n# Added by portal-check questions --to-eval on ${new Date().toISOString().slice(0, 10)}\n${entries.map(toYaml).join("")}`,
    );
  }
  const skippedLines = skipped.map((s) => `  skipped "${s.text}": ${s.why}\n`).join("");
  await write(
    io.stdout,
    `Added ${entries.length} question${entries.length === 1 ? "" : "s"} to ${target}.\n${skippedLines}${entries.length > 0 ? "Run `npm run eval` to see how `ask` does on them.\n" : ""}`,
  );
  return 0;
}

/** One entry in the style of the evaluation files (JSON strings are valid YAML scalars). */
function toYaml(entry: LabelledQuestion): string {
  return `- q: ${JSON.stringify(entry.q)}\n  accept: [${entry.accept.join(", ")}]\n${entry.number ? "  number: true\n" : ""}`;
}

function limitFrom(text: string | undefined): number {
  if (text === undefined) return DEFAULT_LIMIT;
  const n = /^\d+$/.test(text.trim()) ? Number(text) : Number.NaN;
  if (!Number.isInteger(n) || n < 1 || n > 10_000) {
    throw new UsageError(`--limit takes a whole number from 1 to 10000 (got "${text}")`);
  }
  return n;
}

function parseOrExplain(args: string[]) {
  return parseCommandArgs(
    {
      args,
      options: {
        json: { type: "boolean" },
        limit: { type: "string" },
        "to-eval": { type: "string" },
        "eval-file": { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
    },
    `\n\n${HELP}`,
  );
}
