import type { Logger } from "../log.js";

/**
 * A long-running server must not end because one request's work failed where nothing caught it
 * (a rejected promise in a library callback, a throw in a timer). Node's default ends the process
 * on both; serve installs these handlers instead: the error is logged (without PHI, see
 * logSafely) and the process keeps serving.
 *
 * Uncaught exceptions are the riskier kind (the code that threw may have left shared state half
 * done), so a burst of them — more than BURST_LIMIT in BURST_WINDOW_MS — ends the process with
 * exit code 1 for its supervisor to restart it, rather than limping on.
 */
const BURST_LIMIT = 10;
const BURST_WINDOW_MS = 60_000;

export interface ProcessGuard {
  /** Removes the handlers (serve does when it stops). */
  uninstall(): void;
}

export function keepServing(
  logger: Logger,
  exit: (code: number) => void = (code) => process.exit(code),
): ProcessGuard {
  let recent: number[] = [];
  const onRejection = (reason: unknown) => {
    logSafely(logger, reason, "unhandled promise rejection; still serving");
  };
  const onException = (err: unknown) => {
    const now = Date.now();
    recent = [...recent.filter((at) => now - at < BURST_WINDOW_MS), now];
    if (recent.length > BURST_LIMIT) {
      logSafely(logger, err, "uncaught exceptions keep coming; stopping so the supervisor restarts the app");
      exit(1);
      return;
    }
    logSafely(logger, err, "uncaught exception; still serving");
  };
  process.on("unhandledRejection", onRejection);
  process.on("uncaughtException", onException);
  return {
    uninstall() {
      process.off("unhandledRejection", onRejection);
      process.off("uncaughtException", onException);
    },
  };
}

/**
 * The logger keeps an error's name, message, code and stack only (see log.ts). A SyntaxError from
 * JSON.parse quotes the text it failed on, which may be a request body naming a parent, so its
 * message (and the stack's first line, which repeats it) is left out.
 */
function logSafely(logger: Logger, reason: unknown, msg: string) {
  if (reason instanceof SyntaxError) {
    const frames = (reason.stack ?? "").split("\n").slice(1).join("\n");
    logger.error({ err: { type: reason.name, message: "[omitted]", stack: frames } }, msg);
    return;
  }
  // Something other than an Error was thrown: its kind only (a string could be anything typed).
  logger.error(reason instanceof Error ? { err: reason } : { thrown: typeof reason }, msg);
}
