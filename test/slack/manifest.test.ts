import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { COMMAND } from "../../src/slack/listeners/commands.js";

const manifest = parse(readFileSync(new URL("../../manifest.yaml", import.meta.url), "utf8"));

describe("manifest.yaml", () => {
  it("declares the command, interactivity and events the app listens to, all on /slack/events", () => {
    expect(manifest.features.slash_commands.map((c: { command: string }) => c.command)).toEqual([COMMAND]);
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    expect(manifest.settings.event_subscriptions.bot_events).toEqual(
      expect.arrayContaining([
        "app_mention",
        "app_home_opened",
        "message.channels",
        "message.groups",
        "message.im",
        "message.mpim",
      ]),
    );
    const urls = [
      manifest.features.slash_commands[0].url,
      manifest.settings.interactivity.request_url,
      manifest.settings.event_subscriptions.request_url,
    ];
    for (const url of urls) expect(new URL(url).pathname).toBe("/slack/events");
    expect(manifest.features.app_home.messages_tab_enabled).toBe(true);
    expect(manifest.features.app_home.home_tab_enabled).toBe(true);
  });

  it("asks for the scopes behind every Web API method and event the app uses, and no others", () => {
    expect([...manifest.oauth_config.scopes.bot].sort()).toEqual(
      [
        "commands", // slash command
        "chat:write", // chat.postMessage, chat.update, chat.postEphemeral, chat.delete
        "app_mentions:read", // app_mention
        "channels:history", // message.channels
        "groups:history", // message.groups
        "im:history", // message.im
        "mpim:history", // message.mpim
        "channels:read", // conversations.info, conversations.members (HOME_ESCALATIONS=escalation-channel)
        "groups:read",
        "usergroups:read", // usergroups.users.list (HOME_ESCALATIONS=<user group id>)
        "im:read",
        "mpim:read",
        "files:read", // url_private of attached exports (issue 13)
      ].sort(),
    );
  });

  it("keeps the limits Slack puts on a manifest", () => {
    expect(manifest.display_information.name.length).toBeLessThanOrEqual(35);
    expect(manifest.display_information.description.length).toBeLessThanOrEqual(140);
    expect(manifest.display_information.long_description.length).toBeGreaterThanOrEqual(175);
    expect(manifest.display_information.long_description.length).toBeLessThanOrEqual(4000);
    expect(manifest.features.slash_commands[0].description.length).toBeLessThanOrEqual(100);
    expect(manifest.features.bot_user.display_name.length).toBeLessThanOrEqual(80);
  });
});
