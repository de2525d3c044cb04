import type { WebClient } from "@slack/web-api";
import type { SlackDeps } from "../deps.js";

/** Members are looked up again after this long (a member added to the group sees it within minutes). */
const MEMBERS_TTL_MS = 5 * 60 * 1000;

export type Audience = (user: string) => Promise<{ visible: true } | { visible: false; why: string }>;

/**
 * Who sees App Home's Escalations section (HOME_ESCALATIONS): everyone, the members of the
 * escalation channel, or the members of a user group. A lookup that fails hides the section and
 * says so; it never shows it by default.
 */
export function escalationAudience(deps: SlackDeps, client: WebClient): Audience {
  const setting = deps.config.homeEscalations;
  let cached: { members: Set<string>; at: number } | undefined;
  const members = async (): Promise<Set<string>> => {
    const now = Date.now();
    if (cached && now - cached.at < MEMBERS_TTL_MS) return cached.members;
    const found = new Set<string>();
    if (setting.kind === "usergroup") {
      for (const user of (await client.usergroups.users.list({ usergroup: setting.id })).users ?? [])
        found.add(user);
    } else {
      const channel = deps.config.escalationChannel ?? "";
      for await (const page of client.paginate("conversations.members", { channel, limit: 1000 })) {
        for (const user of (page as { members?: string[] }).members ?? []) found.add(user);
      }
    }
    cached = { members: found, at: now };
    return found;
  };
  const who =
    setting.kind === "usergroup"
      ? "the members of the support leads' user group"
      : "the members of the escalation channel";
  return async (user) => {
    if (setting.kind === "everyone") return { visible: true };
    try {
      if ((await members()).has(user)) return { visible: true };
      return { visible: false, why: `Escalations are shown to ${who} (HOME_ESCALATIONS).` };
    } catch (err) {
      deps.logger.warn({ err, setting: setting.kind }, "App Home: could not look up who sees escalations");
      return {
        visible: false,
        why: `Escalations are hidden: the app could not check whether you are one of ${who}. Try again in a minute.`,
      };
    }
  };
}
