import type { WebClient } from "@slack/web-api";
import { millisecondsInDay } from "date-fns/constants";
import { buildReport, lastDays, listedIn } from "../../core/report/figures.js";
import type { StoredConversation } from "../../store/types.js";
import type { SlackDeps } from "../deps.js";
import { NotASlackConversation, type SlackSurface, surfaceOf } from "../surface.js";
import { escalationAudience } from "./audience.js";
import { homeView } from "./view.js";

/** The figures on App Home cover this many days. */
export const HOME_DAYS = 30;
/** Stored conversations read per refresh (newest first): the lists show far fewer. */
const RECENT_LIMIT = 500;

export interface HomePublisher {
  /** Builds the user's Home tab from the store and publishes it. */
  publish(user: string): Promise<void>;
}

export function homePublisher(deps: SlackDeps, client: WebClient): HomePublisher {
  const audience = escalationAudience(deps, client);
  const workspace = workspaceUrl(client);
  return {
    async publish(user) {
      const now = deps.now();
      const period = lastDays(now, HOME_DAYS);
      const [recent, outcomes, canSee, base] = await Promise.all([
        deps.store.listRecent(
          new Date(now.getTime() - deps.config.retentionDays * millisecondsInDay),
          now,
          RECENT_LIMIT,
        ),
        deps.store.listOutcomes(period.since, period.until, now),
        audience(user),
        workspace(),
      ]);
      const slack = recent.filter(isSlackConversation);
      const since = period.since.getTime();
      const view = homeView({
        user,
        now,
        ctx: deps.content,
        mine: slack.filter((r) => surfaceOf(r).requester === user),
        escalations: canSee.visible
          ? slack.filter((r) => {
              const escalation = surfaceOf(r).escalation;
              return escalation && (escalation.status !== "resolved" || Date.parse(r.updatedAt) >= since);
            })
          : { hidden: canSee.why },
        report: buildReport(outcomes, { ...period, now, listed: listedIn(deps.content.knowledge) }),
        days: HOME_DAYS,
        threadLink: (surface) => (base ? threadLink(base, surface) : undefined),
      });
      await client.views.publish({ user_id: user, view });
    },
  };
}

function isSlackConversation(record: StoredConversation): boolean {
  try {
    surfaceOf(record);
    return true;
  } catch (err) {
    if (err instanceof NotASlackConversation) return false; // a terminal chat sharing the store
    throw err;
  }
}

/** Slack's permalink form for a thread's first message: https://<workspace>/archives/<C>/p<ts without dot>. */
export function threadLink(workspace: string, surface: SlackSurface): string {
  const base = workspace.endsWith("/") ? workspace : `${workspace}/`;
  return `${base}archives/${surface.channel}/p${surface.thread.replace(".", "")}`;
}

/**
 * The workspace's address (auth.test), asked once: links on the tab are built from it rather than
 * one chat.getPermalink call per line. Undefined (no links) until auth.test answers.
 */
function workspaceUrl(client: WebClient): () => Promise<string | undefined> {
  let known: string | undefined;
  return async () => {
    if (known) return known;
    try {
      known = (await client.auth.test()).url;
    } catch {
      return undefined;
    }
    return known;
  };
}
