import { WebClient } from "@slack/web-api";
import nock from "nock";
import { afterEach, describe, expect } from "vitest";
import { createLogger, REDACTED, redactPhi, slackLibraryLogger } from "../../src/log.js";
import { it, startTestApp, type TestApp } from "../support/slack-app.js";
import { USER } from "../support/slack-payloads.js";
import { conversationView, must, storedConversation } from "../support/slack-thread.js";

/** Every piece of parent and patient data the conversation below carries. */
const PHI = [
  "Maria",
  "Lopez",
  "Carlos",
  "Sofia",
  "Mateo",
  "maria.lopez@example.org",
  "family.lopez@example.org",
  "3/14/2015",
  "5/1/2006",
  "2015-03-14",
  "2006-05-01",
  "Whitfield",
];

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

describe("logs", () => {
  it("hold no PHI after a whole conversation logged at debug", async () => {
    const app = await startTestApp({ env: { LOG_LEVEL: "debug", ESCALATION_CHANNEL: "G0ESCALATE" } });
    t = app;
    await app.command(
      "Maria Lopez says her son Mateo vanished from the portal, dad Carlos gets a server error",
    );
    await app.click(conversationView(app.api).check, "choose_version_14.19");
    await app.click(conversationView(app.api).check, "check_not_fixed");
    await app.click(conversationView(app.api).check, "paste_records");
    await app.submit(app.lastModal(), {
      records: [
        "Contact\tEmail\tPortal\tAuthority\tEnd Date\tPatient\tDOB\tStatus",
        "Lopez, Maria\tfamily.lopez@example.org\tMinor\tJoint\t\tSofia Lopez\t3/14/2015\tActive",
        "Lopez, Carlos\tfamily.lopez@example.org\tMinor\tJoint\t1/2/2024\tSofia Lopez\t3/14/2015\tActive",
        "Lopez, Maria\tfamily.lopez@example.org\tMinor\t\t\tMateo Lopez\t5/1/2006\tActive",
      ].join("\n"),
    });
    await app.event({
      type: "message",
      channel_type: "group",
      user: USER,
      text: "Contact: Maria Lopez\nEmail: <mailto:maria.lopez@example.org|maria.lopez@example.org>\nPortal: None\nPatient: Sofia Lopez",
      ts: "1790000400.000100",
      thread_ts: conversationView(app.api).root.ts,
    });
    await app.event({
      type: "app_mention",
      user: USER,
      text: "<@UBOT> why can't Maria Lopez see Sofia?",
      ts: "1790000500.000100",
      event_ts: "1790000500.000100",
    });
    await app.click(conversationView(app.api).check, "escalate_now");
    await app.submit(app.lastModal(), { parent_name: "Jo" }); // an invalid submission is logged too
    await app.submit(app.lastModal(), {
      parent_name: "Maria Lopez",
      portal_emails: "maria.lopez@example.org",
      patients: "Sofia Lopez\nMateo Lopez",
      steps_taken: "Merged Maria Lopez's two contacts; changed Carlos's email",
      reset_authorized: { option: "yes" },
    });
    const post = [...app.api.messages.values()].find((m) => m.channel === "G0ESCALATE");
    expect(post).toBeDefined();
    await app.click(must(post), "escalation_resolved", { channel: "G0ESCALATE" });

    const log = app.logs.join("");
    // The log is there, at debug, and follows the conversation...
    expect(log).toContain('"level":20');
    for (const msg of [
      "conversation started",
      "answer recorded",
      "records checked",
      "escalation posted",
      "escalation status changed",
    ]) {
      expect(log).toContain(msg);
    }
    // ...and holds none of its PHI.
    for (const phi of PHI) expect(log, `log contains "${phi}"`).not.toContain(phi);
    // The check of the whole walk worked on real PHI: the escalation does carry it.
    expect(JSON.stringify(post)).toContain("Maria Lopez");
    expect((await storedConversation(app)).state.phase).toBe("escalated");
  });

  it("redact PHI fields at any depth, whatever their case or separator", () => {
    const lines: string[] = [];
    const logger = createLogger({ level: "debug", destination: { write: (l: string) => lines.push(l) } });
    logger.debug(
      {
        conversation: "c-1",
        details: { parent_name: "Maria Lopez" },
        nested: { deeper: [{ portalEmails: ["maria@example.org"], patientName: "Sofia", count: 2 }] },
        text: "pasted rows",
      },
      "debug line",
    );
    logger.child({ email: "carlos@example.org" }).info("child");
    const out = lines.join("");
    expect(out).not.toMatch(/Maria|Sofia|maria@|carlos@|pasted rows/);
    expect(out).toContain(REDACTED);
    expect(out).toContain('"conversation":"c-1"');
    expect(out).toContain('"count":2');
    expect(redactPhi({ a: { Birth_Date: "2015-03-14", ok: 1 } })).toEqual({
      a: { Birth_Date: REDACTED, ok: 1 },
    });
  });

  it("keep errors to name, message, code and stack (an HTTP error's request body stays out)", () => {
    const lines: string[] = [];
    const logger = createLogger({ level: "info", destination: { write: (l: string) => lines.push(l) } });
    const err = Object.assign(new Error("Request failed with status code 500"), {
      code: "ERR_BAD_RESPONSE",
      config: { data: JSON.stringify({ text: "Maria Lopez" }) },
    });
    logger.error({ err }, "failed");
    expect(lines.join("")).toContain("ERR_BAD_RESPONSE");
    expect(lines.join("")).not.toContain("Maria");
  });

  it("keep Web API errors to name, message and code under any key and at any depth", async () => {
    // Real Web API errors carry what came back: a proxy or gateway that echoes the request puts the
    // message text in an HTTP error's body; a platform error carries Slack's whole answer.
    nock("http://slack.invalid")
      .post("/api/chat.postMessage")
      .reply(502, (_uri, body) => body)
      .post("/api/chat.update")
      .reply(200, (_uri, body) => ({ ok: false, error: "invalid_blocks", echo: body }));
    const client = new WebClient("xoxb-0000-1111-testtoken", {
      slackApiUrl: "http://slack.invalid/api/",
      retryConfig: { retries: 0 },
      logger: slackLibraryLogger(createLogger({ level: "silent" })),
    });
    const failed = (p: Promise<unknown>) =>
      p.then(
        () => undefined,
        (e: unknown) => e,
      );
    const http = await failed(client.chat.postMessage({ channel: "C0PRIVATE1", text: "Maria Lopez" }));
    const platform = await failed(
      client.chat.update({ channel: "C0PRIVATE1", ts: "1.2", text: "Sofia Lopez" }),
    );
    // The danger is real: serialized as they are, both errors hold the message text.
    const raw = decodeURIComponent(JSON.stringify([http, platform]));
    expect(raw).toContain("Maria Lopez");
    expect(raw).toContain("Sofia Lopez");
    nock.cleanAll();

    const lines: string[] = [];
    const logger = createLogger({ level: "info", destination: { write: (l: string) => lines.push(l) } });
    for (const err of [http, platform]) {
      logger.error({ err }, "as err");
      logger.error({ error: err, cause: { failure: err }, all: [err] }, "under other keys");
      logger.error(err as Error);
      logger.child({ failed: err }).warn("as a binding");
    }
    const out = lines.join("");
    expect(lines).toHaveLength(8);
    expect(decodeURIComponent(out)).not.toContain("Lopez");
    expect(out.match(/slack_webapi_http_error/g)?.length).toBe(6);
    expect(out.match(/slack_webapi_platform_error/g)?.length).toBe(6);
    expect(out.match(/"slackError":"invalid_blocks"/g)?.length).toBe(6);
  });
});
