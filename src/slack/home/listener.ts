import type { AllMiddlewareArgs, App, SlackEventMiddlewareArgs } from "@slack/bolt";
import type { SlackDeps } from "../deps.js";
import { type HomePublisher, homePublisher } from "./publish.js";

type HomeOpenedArgs = SlackEventMiddlewareArgs<"app_home_opened"> & AllMiddlewareArgs;

/** A user who opened the tab this recently gets it refreshed after their own clicks and forms. */
const WATCH_MS = 12 * 60 * 60 * 1000;

/**
 * App Home: published when a user opens the tab, and again after that user's own slash commands,
 * button clicks and form submissions (on the instance that handled them) while they have opened it
 * in the last 12 hours.
 */
export function registerHome(app: App, deps: SlackDeps) {
  const publisher = homePublisher(deps, app.client);
  const watching = new Map<string, number>();
  app.event("app_home_opened", homeOpened(deps, publisher, watching));
  app.use(async ({ body, next }) => {
    await next();
    const user = actingUser(body);
    if (!user) return;
    const since = watching.get(user);
    if (since === undefined) return;
    if (Date.now() - since > WATCH_MS) {
      watching.delete(user);
      return;
    }
    await refresh(deps, publisher, user);
  });
}

function homeOpened(deps: SlackDeps, publisher: HomePublisher, watching: Map<string, number>) {
  return async ({ event }: HomeOpenedArgs) => {
    if (event.tab !== "home") return;
    watching.set(event.user, Date.now());
    await refresh(deps, publisher, event.user);
  };
}

async function refresh(deps: SlackDeps, publisher: HomePublisher, user: string) {
  try {
    await publisher.publish(user);
  } catch (err) {
    deps.logger.error({ err, user }, "App Home could not be published");
  }
}

/**
 * The user behind a slash command, a click or a form submission (not events: opening the tab is not
 * an action, and messages in threads are other people's too).
 */
function actingUser(body: unknown): string | undefined {
  const b = body as { type?: string; command?: string; user_id?: string; user?: { id?: string } };
  if (typeof b.command === "string") return b.user_id;
  if (b.type !== "block_actions" && b.type !== "view_submission") return undefined;
  return b.user?.id;
}
