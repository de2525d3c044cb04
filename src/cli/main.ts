import { pathToFileURL } from "node:url";
import { ContentError } from "../core/content-error.js";
import { CLI, type CliIO, type Command, UsageError } from "./io.js";

/** Subcommands, loaded on demand so `validate` never pays for Slack or LangChain start-up. */
const COMMANDS: Record<string, { summary: string; load: () => Promise<Command> }> = {
  chat: {
    summary: "walk the checks in this terminal   [--op-version V] [--new]",
    load: async () => (await import("./commands/chat.js")).chat,
  },
  purge: {
    summary: "remove stored conversations now   [--older-than DAYS]",
    load: async () => (await import("./commands/purge.js")).purge,
  },
  report: {
    summary:
      "outcomes of past conversations   [--since D] [--until D] [--by week|month|version|check] [--json|--csv|--html FILE]",
    load: async () => (await import("./commands/report.js")).report,
  },
  ask: {
    summary: 'answer a question from the knowledge base   "<question>" [--json] [--op-version V]',
    load: async () => (await import("./commands/ask.js")).ask,
  },
  questions: {
    summary: "questions staff asked in Slack that need better answers   [--json] [--to-eval FILE]",
    load: async () => (await import("./commands/questions.js")).questions,
  },
  serve: {
    summary: "run the Slack app (HTTP or Socket Mode, configured by environment variables)",
    load: async () => (await import("./commands/serve.js")).serve,
  },
  start: {
    summary: "the Slack app when Slack credentials are set, otherwise the terminal chat",
    load: async () => (await import("./commands/start.js")).start,
  },
  validate: {
    summary:
      "check contact records or an export   [FILE|-] [--json] [--today YYYY-MM-DD] [--op-version V] [--legacy-portal]",
    load: async () => (await import("./commands/validate.js")).validate,
  },
};

const USAGE = () =>
  [
    "Usage: portal-check <command> [options]",
    "",
    "Commands:",
    ...Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(9)} ${c.summary}`),
    "",
    `Run \`${CLI} <command> --help\` for a command's options.`,
  ].join("\n");

export async function main(argv: string[], io: CliIO): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === "--help" || name === "-h" || name === "help") {
    io.stdout.write(`${USAGE()}\n`);
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.stderr.write(`portal-check: unknown command "${name}".\n\n${USAGE()}\n`);
    return 2;
  }
  try {
    return await (await command.load())(args, io);
  } catch (err) {
    return reportError(err, io);
  }
}

/** The exit status of a failure of the program itself, never 1 ("blockers found" for validate). */
export const INTERNAL_FAILURE = 4;

/** Turns any failure into a message for a person. Stack traces only with DEBUG=portal-check. */
export function reportError(err: unknown, io: CliIO): number {
  if (err instanceof UsageError) {
    io.stderr.write(`portal-check: ${err.message}\n`);
    return 2;
  }
  if (err instanceof ContentError) {
    io.stderr.write(`portal-check: cannot start: ${err.message}\n`);
    return 2;
  }
  const message = err instanceof Error ? err.message : String(err);
  io.stderr.write(
    `portal-check: internal failure, nothing was decided: ${message}\n(Run again with DEBUG=portal-check for details.)\n`,
  );
  if (io.env.DEBUG?.includes("portal-check") && err instanceof Error) io.stderr.write(`${err.stack}\n`);
  return INTERNAL_FAILURE;
}

const isEntry = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isEntry) {
  const io: CliIO = {
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    cwd: process.cwd(),
  };
  main(process.argv.slice(2), io).then(
    (code) => {
      process.exitCode = code;
    },
    (err) => {
      process.exitCode = reportError(err, io);
    },
  );
}
