import { createInterface } from "node:readline";
import { loadContentQuickly } from "../../content/snapshot.js";
import { openStore } from "../../store/open.js";
import { ChatSession } from "../chat/session.js";
import { CLI, type Command, opVersionOption, parseCommandArgs, write } from "../io.js";

/**
 * `portal-check chat`: its arguments and the read loop. The conversation is src/cli/chat/: the
 * session and its store writes (session.ts), what a typed line means (words.ts), the escalation
 * form one field at a time (form.ts).
 */
const HELP = `Usage: ${CLI} chat [--op-version V] [--new] [--session NAME]

Walks the portal checks in this terminal, one at a time. Answer with the number of a choice,
or type back, skip, escalate, restart, help or quit. Works with piped input too (use --new
there, so a saved conversation is not resumed at a screen the input was not written for).

After "fixed", call the parent: the conversation is resolved only when the parent confirmed they see
the child. Answer "waiting" to keep it open; the next \`${CLI} chat\` comes back to the question.

Every answer is saved (DATABASE_URL, default ./data/portal-check.db). If the terminal is closed
or the process is killed, the next \`${CLI} chat\` resumes at the same check.
  --op-version V   skip the version question: one of the OP versions in knowledge/ (also: OP_VERSION)
  --new            discard the saved conversation and start over
  --session NAME   keep a separate conversation under NAME (default: "default")
`;

export const chat: Command = async (args, io) => {
  const { values } = parseOrExplain(args);
  if (values.help) {
    await write(io.stdout, HELP);
    return 0;
  }
  // The build's snapshot of knowledge/ and flows/ while it matches them (a faster first prompt).
  const ctx = await loadContentQuickly();
  const version = opVersionOption(values["op-version"], io.env, ctx.knowledge);
  const store = await openStore(io.env, io.cwd);
  try {
    const session = new ChatSession(ctx, store, io, `terminal:${values.session ?? "default"}`);
    await session.open({ version, fresh: values.new ?? false });
    const lines = createInterface({ input: io.stdin, terminal: false });
    const interactive = "isTTY" in io.stdin && io.stdin.isTTY === true;
    if (interactive) await write(io.stdout, "> ");
    for await (const line of lines) {
      if (!(await session.input(line))) {
        lines.close();
        return 0;
      }
      if (interactive) await write(io.stdout, "> ");
    }
    await session.inputEnded();
    return 0;
  } finally {
    await store.close();
  }
};

function parseOrExplain(args: string[]) {
  return parseCommandArgs(
    {
      args,
      options: {
        "op-version": { type: "string" },
        new: { type: "boolean" },
        session: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
    },
    `\n\n${HELP}`,
  );
}
