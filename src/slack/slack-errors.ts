import { ErrorCode } from "@slack/web-api";

/**
 * What a failed Slack call means for the person waiting on it. The Web API client has already
 * retried (429s after Retry-After, 5xx and timeouts with backoff) by the time an error gets here.
 */
export interface SlackFailure {
  /** Stable, PHI-free code for logs: the Web API error ("not_in_channel") or the failure kind. */
  code: string;
  /** One or two sentences for the user: what happened and what to do. */
  advice: string;
}

/** Errors that mean "the bot cannot post in this conversation". */
const NOT_A_MEMBER = new Set(["not_in_channel", "channel_not_found", "restricted_action"]);

/** A failure (by its code) that means the bot is not a member of the channel. */
export function meansNotAMember(failure: SlackFailure): boolean {
  return NOT_A_MEMBER.has(failure.code);
}

export function platformError(err: unknown): string | undefined {
  if (err && typeof err === "object" && "code" in err && err.code === ErrorCode.PlatformError) {
    const data = (err as { data?: { error?: unknown } }).data;
    return typeof data?.error === "string" ? data.error : "unknown_error";
  }
  return undefined;
}

export function describeSlackFailure(err: unknown): SlackFailure {
  const platform = platformError(err);
  if (platform) {
    if (NOT_A_MEMBER.has(platform)) {
      return {
        code: platform,
        advice:
          "I'm not a member of this channel, so I can't post here. Invite me with `/invite @portal-check` and try again, or send me a direct message.",
      };
    }
    if (platform === "is_archived")
      return { code: platform, advice: "This channel is archived, so I can't post in it." };
    if (["invalid_auth", "token_revoked", "account_inactive", "not_authed"].includes(platform)) {
      return {
        code: platform,
        advice: "My Slack token no longer works. Ask a workspace admin to reinstall the portal-check app.",
      };
    }
    if (platform === "missing_scope") {
      return {
        code: platform,
        advice:
          "I'm missing a Slack permission for this. Ask a workspace admin to update the app from manifest.yaml and reinstall it.",
      };
    }
    if (platform === "expired_trigger_id") {
      return { code: platform, advice: "Slack took too long to open the form. Click the button again." };
    }
    if (platform === "ratelimited") return { code: platform, advice: RATE_LIMITED };
    return { code: platform, advice: `Slack refused the request (${platform}).` };
  }
  const code = err && typeof err === "object" && "code" in err ? String(err.code) : "unknown";
  if (code === ErrorCode.RateLimitedError) return { code: "rate_limited", advice: RATE_LIMITED };
  if (code === ErrorCode.HTTPError) {
    const status = (err as { statusCode?: unknown }).statusCode;
    return {
      code: "slack_http_error",
      advice: `Slack answered with an error${typeof status === "number" ? ` (HTTP ${status})` : ""}: the trouble is on Slack's side.`,
    };
  }
  if (code === ErrorCode.RequestError) {
    const original = (err as { original?: { code?: unknown; message?: unknown } }).original;
    const timedOut =
      original?.code === "ECONNABORTED" ||
      original?.code === "ETIMEDOUT" ||
      /timeout/i.test(String(original?.message ?? ""));
    return {
      code: "slack_unreachable",
      advice: timedOut ? "Slack did not answer in time." : "I couldn't reach Slack (a network problem).",
    };
  }
  return { code: "unexpected", advice: "Something went wrong on my side." };
}

const RATE_LIMITED = "Slack is limiting how fast I can post right now.";
