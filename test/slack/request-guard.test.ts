import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Instance, until } from "../multi/instance.js";
import type { FakeSlack } from "../support/fake-slack.js";
import { startServe } from "../support/serve-process.js";
import { SIGNING_SECRET } from "../support/slack-app.js";
import { commandBody, eventBody, TEAM, USER } from "../support/slack-payloads.js";
import { signedHeaders } from "../support/slack-sign.js";

/**
 * Item 2 of issue 17: no request can take the process down. The real `portal-check serve` in its
 * own process gets correctly signed bodies of every JSON type and shape, in both content types and
 * as `payload=` forms; afterwards it must still be running, answer /healthz and start a check.
 */

let slack: FakeSlack;
let server: Instance;
let stop: () => Promise<void>;
beforeAll(async () => {
  ({ slack, server, stop } = await startServe());
}, 30_000);
afterAll(async () => {
  await stop?.();
});

const FORM = "application/x-www-form-urlencoded";
const JSON_TYPE = "application/json";

let seq = 0;
/** Signed as Slack signs; each body is made unique so the replay check does not hide it. */
async function post(raw: string, contentType: string): Promise<number> {
  const res = await fetch(`http://127.0.0.1:${server.port}/slack/events`, {
    method: "POST",
    headers: signedHeaders(SIGNING_SECRET, raw, contentType),
    body: raw,
    // A request the server never answers is a failure too (an exception it swallowed mid-request).
    signal: AbortSignal.timeout(10_000),
  });
  await res.arrayBuffer();
  return res.status;
}
const asPayload = (json: string) => new URLSearchParams({ payload: json, n: String(++seq) }).toString();

async function stillServing() {
  expect(server.process.exitCode).toBeNull();
  expect(server.process.signalCode).toBeNull();
  const health = await fetch(`http://127.0.0.1:${server.port}/healthz`);
  expect(health.status).toBe(200);
}

/** A valid request of each kind, as templates to break one field at a time. */
const TEMPLATES: Array<{
  contentType: string;
  body: Record<string, unknown>;
  form: "payload" | "fields" | "json";
}> = [
  {
    form: "payload",
    contentType: FORM,
    body: {
      type: "block_actions",
      user: { id: USER, team_id: TEAM },
      team: { id: TEAM },
      channel: { id: "C0PRIVATE1" },
      trigger_id: "1.2.3",
      response_url: "http://127.0.0.1:9/hook",
      message: { ts: "1790000000.000001", text: "" },
      actions: [{ type: "button", action_id: "check_fixed", block_id: "b", value: '{"c":"x","t":0}' }],
    },
  },
  {
    form: "payload",
    contentType: FORM,
    body: {
      type: "view_submission",
      user: { id: USER },
      team: { id: TEAM },
      view: {
        id: "V1",
        callback_id: "escalation_form",
        private_metadata: '{"c":"x"}',
        state: { values: { parent_name: { parent_name: { type: "plain_text_input", value: "x" } } } },
      },
    },
  },
  {
    form: "payload",
    contentType: FORM,
    body: {
      type: "view_closed",
      user: { id: USER },
      team: { id: TEAM },
      view: { id: "V1", callback_id: "x" },
    },
  },
  {
    form: "json",
    contentType: JSON_TYPE,
    body: JSON.parse(
      eventBody({ type: "app_mention", user: USER, text: "<@UBOT> server error", channel: "C1", ts: "1.1" }),
    ),
  },
  {
    form: "fields",
    contentType: FORM,
    body: Object.fromEntries(
      new URLSearchParams(commandBody("", { responseUrl: "http://127.0.0.1:9/hook" })),
    ),
  },
];

/** Replaces the value at one path (chosen by `picks`) with `value`. */
function breakOne(body: unknown, picks: number[], value: unknown): unknown {
  if (picks.length === 0 || body === null || typeof body !== "object") return value;
  const keys = Object.keys(body);
  if (keys.length === 0) return value;
  const [pick = 0, ...rest] = picks;
  const key = keys[pick % keys.length] as string;
  const copy = (Array.isArray(body) ? [...body] : { ...body }) as Record<string, unknown>;
  copy[key] = breakOne((body as Record<string, unknown>)[key], rest, value);
  return copy;
}

function encodeTemplate(t: (typeof TEMPLATES)[number], body: unknown): string {
  if (t.form === "payload") return asPayload(JSON.stringify(body));
  if (t.form === "json") return JSON.stringify(body);
  const fields = new URLSearchParams({ n: String(++seq) });
  if (body && typeof body === "object")
    for (const [k, v] of Object.entries(body))
      fields.append(k, typeof v === "string" ? v : JSON.stringify(v));
  return fields.toString();
}

describe("requests that parse to something other than what Slack sends", () => {
  it("answers 400 to a signed body that is JSON null, as a payload or as JSON, and keeps serving", async () => {
    expect(await post("payload=null", FORM)).toBe(400);
    expect(await post("null", JSON_TYPE)).toBe(400);
    await stillServing();
  });

  it("answers 400 to bodies of every JSON type, in both content types", async () => {
    const cases = ["true", "0", "-1.5", '"text"', "[]", "[null]", "{}", '{"event":null}', '{"type":null}'];
    for (const json of cases) {
      expect(await post(json, JSON_TYPE), `${json} as JSON`).toBe(400);
      expect(await post(asPayload(json), FORM), `payload=${json}`).toBe(400);
    }
    expect(await post("not json", JSON_TYPE)).toBe(400);
    expect(await post("payload=%7Bbroken", FORM)).toBe(400);
    expect(await post("payload=a&payload=b", FORM)).toBe(400);
    expect(await post(`${"a".repeat(50)}=1`, FORM)).toBe(400);
    expect(await post(asPayload('{"type":"block_actions","actions":[]}'), FORM)).toBe(400);
    expect(await post(asPayload('{"type":"view_submission","user":{"id":"U"},"view":null}'), FORM)).toBe(400);
    expect(await post('{"type":"event_callback","team_id":"T","event_id":"E","event":null}', JSON_TYPE)).toBe(
      400,
    );
    // Found by the fuzz test below in CI: Bolt reads authorizations[0].team_id.
    const nullAuthorization = { ...JSON.parse(eventBody({ type: "app_mention", channel: "C1", ts: "1.1" })) };
    nullAuthorization.authorizations = [null];
    expect(await post(JSON.stringify(nullAuthorization), JSON_TYPE)).toBe(400);
    await stillServing();
  });

  it("survives arbitrary JSON values in both content types (fuzz)", async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue({ maxDepth: 4 }), fc.boolean(), async (value, asForm) => {
        const json = JSON.stringify(value) ?? "null";
        const status = await post(asForm ? asPayload(json) : json, asForm ? FORM : JSON_TYPE);
        expect(status).toBeLessThan(500);
      }),
      { numRuns: 80 },
    );
    await stillServing();
  }, 120_000);

  it("survives arbitrary form fields (fuzz)", async () => {
    const key = fc.oneof(
      fc.constantFrom("command", "text", "team_id", "channel_id", "user_id", "response_url", "trigger_id"),
      fc.constantFrom("payload", "ssl_check", "type", "token"),
      fc.string({ maxLength: 8 }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(key, fc.string({ maxLength: 20 })), { maxLength: 10 }),
        async (pairs) => {
          const raw = new URLSearchParams([...pairs, ["n", String(++seq)]]).toString();
          expect(await post(raw, FORM)).toBeLessThan(500);
        },
      ),
      { numRuns: 80 },
    );
    await stillServing();
  }, 120_000);

  it("survives every Slack request kind with one field replaced by any JSON value (fuzz)", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.nat({ max: TEMPLATES.length - 1 }),
        fc.array(fc.nat(), { minLength: 1, maxLength: 4 }),
        fc.jsonValue({ maxDepth: 3 }),
        async (which, picks, value) => {
          const template = TEMPLATES[which] as (typeof TEMPLATES)[number];
          const raw = encodeTemplate(template, breakOne(template.body, picks, value));
          expect(await post(raw, template.contentType)).toBeLessThan(500);
        },
      ),
      { numRuns: 150 },
    );
    await stillServing();
  }, 180_000);

  it("still starts a check after all of that", async () => {
    const before = slack.count("chat.postMessage");
    const raw = commandBody("", { responseUrl: "http://127.0.0.1:9/unused" });
    expect(await post(raw, FORM)).toBe(200);
    await until("the root and the first check", () => slack.count("chat.postMessage") >= before + 2);
    await stillServing();
  });
});
