import { rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStore } from "../../src/store/open.js";
import type { ConversationStore, StoredConversation } from "../../src/store/types.js";
import { type Instance, portalCheckCommand, startInstance, until } from "../multi/instance.js";
import { tempDir } from "../support/cli.js";
import { type FakeMessage, type FakeSlack, type Held, startFakeSlack } from "../support/fake-slack.js";
import { skipRedis, startRedis, type TestRedis } from "../support/redis-server.js";
import {
  blockActionBody,
  commandBody,
  ESCALATION_FORM,
  type FieldValue,
  TEAM,
  viewSubmissionBody,
} from "../support/slack-payloads.js";
import { blocksText, buttons, must } from "../support/slack-thread.js";

/**
 * Fault injection: `portal-check serve` in its own process, as in production, killed with SIGKILL at
 * each step between a submitted form and Slack, then started again on the same store (a SQLite file,
 * a real Redis). Whatever the point, the escalation is posted exactly once and the requester is told;
 * a pasted record set and a case number survive too.
 *
 * Every kill point is reached deterministically, by waiting for something observable: the fake
 * Slack holds a call and says when it arrived, or the HTTP answer (the ack) comes back. "Before the
 * ack" (saved, Slack not answered yet) is a moment nothing outside the process can see, so there the
 * server is asked to stop and say so (PORTAL_CHECK_PAUSE_AT, see src/slack/pause-point.ts).
 *
 * The cases run side by side, each with its own channels and its own store, so the suite takes about
 * as long as its slowest case: a restart waits out the killed process's lease on the escalation
 * (4 × SLACK_TIMEOUT_SECONDS) before posting it.
 */

const FORM = "application/x-www-form-urlencoded";
/** Generous: a loaded 2-core machine starts tsx processes slowly. */
const START_MS = 120_000;
const SETTLE_MS = 120_000;
const CASE_MS = 300_000;
const ROWS = [
  "Contact\tEmail\tPortal\tAuthority\tEnd Date\tPatient\tDOB\tStatus",
  "Lopez, Maria\tfamily.lopez@example.org\tNone\tJoint\t\tSofia Lopez\t3/14/2015\tActive",
].join("\n");

let fake: FakeSlack;
let redis: TestRedis | undefined;
let dir: string;
const running: Instance[] = [];
const stores: ConversationStore[] = [];
let seq = 0;
const command = portalCheckCommand();

beforeAll(async () => {
  fake = await startFakeSlack();
  dir = tempDir("portal-check-faults-");
  if (!skipRedis) redis = await startRedis();
}, 60_000);

afterAll(async () => {
  for (const server of running) server.kill();
  for (const store of stores) await store.close();
  await fake?.close();
  await redis?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

type StoreKind = "SQLite" | "Redis";

/** One conversation in channels of its own, served by a process that the test kills and restarts. */
class Scenario {
  readonly n = ++seq;
  readonly channel = `G0CASE${String(this.n).padStart(4, "0")}`;
  readonly escalations = `G0ESCAL${String(this.n).padStart(3, "0")}`;
  readonly hooks = fake.url.replace(/api\/$/, "hooks/response");
  readonly env: Record<string, string>;
  server!: Instance;
  store!: ConversationStore;
  root!: FakeMessage;
  private triggers = 0;

  constructor(kind: StoreKind) {
    this.env = {
      SLACK_BOT_TOKEN: "xoxb-1-2",
      SLACK_API_URL: fake.url,
      OP_VERSION: "14.19",
      ESCALATION_CHANNEL: this.escalations,
      OUTBOX_RETRY_SECONDS: "0.5",
      // The outbox lease is four timeouts: 12 s held by a killed process before another may post.
      SLACK_TIMEOUT_SECONDS: "3",
      LOG_LEVEL: "warn",
      ...(kind === "SQLite"
        ? { DATABASE_URL: join(dir, `case-${this.n}.db`) }
        : { REDIS_URL: must(redis, "redis").url, REDIS_PREFIX: must(redis, "redis").newPrefix() }),
    };
  }

  async start(extra: Record<string, string> = {}) {
    this.server = await startInstance(`case ${this.n}`, { ...this.env, ...extra }, dir, START_MS, command);
    running.push(this.server);
    if (!this.store) {
      this.store = await openStore(this.env, dir);
      stores.push(this.store);
    }
  }

  /** SIGKILL, and waits until the process is gone. */
  async kill() {
    const child = this.server.process;
    const gone = new Promise((resolve) => child.once("exit", resolve));
    if (child.exitCode === null && child.signalCode === null) this.server.kill();
    await gone;
  }

  /** Stops the restarted server the way an operator would (SIGTERM), after its work is done. */
  async stop() {
    expect(await this.server.stop()).toBe(0);
  }

  trigger() {
    return `trigger-${this.n}-${++this.triggers}`;
  }

  thread() {
    return fake.messages.filter(
      (m) => m.channel === this.channel && (m.ts === this.root.ts || m.thread_ts === this.root.ts),
    );
  }

  /** Top-level escalation posts in this case's escalation channel. */
  posts() {
    return fake.messages.filter((m) => m.channel === this.escalations && m.thread_ts === undefined);
  }

  async record(): Promise<StoredConversation> {
    return must(
      await this.store.getByKey(`slack:${TEAM}:${this.channel}:${this.root.ts}`),
      `conversation ${this.n}`,
    );
  }

  message(ts: unknown): FakeMessage {
    return must(
      fake.messages.find((m) => m.ts === ts),
      `message ${String(ts)}`,
    );
  }

  async checkMessage() {
    return this.message((await this.record()).surface.check);
  }

  /** /portal-check, until the conversation is stored with its check message. */
  async begin() {
    const res = await this.server.send(
      commandBody("", { channel: this.channel, responseUrl: this.hooks, triggerId: this.trigger() }),
      FORM,
    );
    expect(res.status).toBe(200);
    await until(
      `case ${this.n}: the conversation to start`,
      () => fake.messages.some((m) => m.channel === this.channel && m.thread_ts === undefined),
      SETTLE_MS,
    );
    this.root = must(fake.messages.find((m) => m.channel === this.channel && m.thread_ts === undefined));
    await until(
      `case ${this.n}: the conversation to be stored`,
      async () => {
        const record = await this.store.getByKey(`slack:${TEAM}:${this.channel}:${this.root.ts}`);
        return typeof record?.surface.check === "string";
      },
      SETTLE_MS,
    );
  }

  /** Clicks a button and returns the modal it opened (views.open with this click's trigger). */
  async open(message: FakeMessage, action: string): Promise<Record<string, unknown>> {
    const triggerId = this.trigger();
    const res = await this.server.send(
      blockActionBody(message, action, { channel: this.channel, responseUrl: this.hooks, triggerId }),
      FORM,
    );
    expect(res.status).toBe(200);
    await until(
      `case ${this.n}: the form of ${action}`,
      () => fake.calls.some((c) => c.method === "views.open" && c.args.trigger_id === triggerId),
      SETTLE_MS,
    );
    const call = must(fake.calls.find((c) => c.method === "views.open" && c.args.trigger_id === triggerId));
    return call.args.view as Record<string, unknown>;
  }

  /** Submits a form; the answer (Slack's ack) may never come when the server is killed first. */
  submit(view: Record<string, unknown>, values: Record<string, FieldValue>) {
    return this.server.send(viewSubmissionBody(view, values, { triggerId: this.trigger() }), FORM).then(
      (res) => res.status,
      () => "no answer" as const,
    );
  }

  async paused(point: string) {
    await until(
      `case ${this.n}: the server to pause at ${point}`,
      () => this.server.stderr().includes(`paused at ${point}`),
      SETTLE_MS,
    );
  }
}

/**
 * Where a kill lands: `arm` runs before the form is submitted (with the process's extra env given
 * at its start), `reached` resolves once the process is at the point.
 */
interface KillPoint {
  name: string;
  pauseAt?: string;
  arm(s: Scenario): Held | undefined;
  reached(s: Scenario, held: Held | undefined, answered: Promise<unknown>): Promise<unknown>;
}

const inChannel = (channel: string) => (args: Record<string, unknown>) => args.channel === channel;

const ESCALATION_POINTS: KillPoint[] = [
  {
    name: "before the ack (the form saved, Slack not answered)",
    pauseAt: "escalation-saved",
    arm: () => undefined,
    reached: (s) => s.paused("escalation-saved"),
  },
  {
    name: "just after the ack",
    // Slack cannot answer the channel check, so the process gets no further than the ack.
    arm: (s) => fake.hold("conversations.info", { match: inChannel(s.escalations) }),
    reached: async (_s, _held, answered) => expect(await answered).toBe(200),
  },
  {
    name: "while conversations.info hangs",
    arm: (s) => fake.hold("conversations.info", { match: inChannel(s.escalations) }),
    reached: (_s, held) => must(held).arrived,
  },
  {
    name: "during chat.postMessage (Slack has not stored the post)",
    arm: (s) => fake.hold("chat.postMessage", { match: inChannel(s.escalations) }),
    reached: (_s, held) => must(held).arrived,
  },
  {
    name: "after Slack stored the post (its answer lost)",
    arm: (s) => fake.hold("chat.postMessage", { match: inChannel(s.escalations), applied: true }),
    reached: (_s, held) => must(held).arrived,
  },
];

/** The escalation is posted once, the conversation shows it, and the requester heard of it once. */
async function expectPostedOnce(s: Scenario) {
  const told = () => s.thread().filter((m) => m.text.includes(`Escalation posted in <#${s.escalations}>`));
  await until(
    `case ${s.n}: the escalation posted and the requester told`,
    async () => {
      const record = await s.record();
      const escalation = record.surface.escalation as { status?: string } | null;
      return escalation?.status === "open" && told().length > 0;
    },
    SETTLE_MS,
  );
  expect(await s.store.listPendingEscalations()).toEqual([]);
  const posts = s.posts();
  expect(posts).toHaveLength(1);
  const post = must(posts[0]);
  expect(blocksText(post.blocks)).toContain("Maria Lopez");
  const record = await s.record();
  expect(record.state.phase).toBe("escalated");
  expect(record.surface.escalation).toMatchObject({ status: "open", ts: post.ts });
  expect(told()).toHaveLength(1);
}

function suite(kind: StoreKind) {
  describe.concurrent(`${kind}: killed while an escalation is on its way`, () => {
    for (const point of ESCALATION_POINTS) {
      it(
        `posts it exactly once after a SIGKILL ${point.name}`,
        async () => {
          const s = new Scenario(kind);
          await s.start(point.pauseAt ? { PORTAL_CHECK_PAUSE_AT: point.pauseAt } : {});
          await s.begin();
          const form = await s.open(await s.checkMessage(), "escalate_now");
          const held = point.arm(s);
          const answered = s.submit(form, ESCALATION_FORM);
          await point.reached(s, held, answered);
          await s.kill();
          // Before the ack the form was saved: it waits in the outbox, the conversation escalated.
          expect(await s.store.listPendingEscalations()).toHaveLength(1);
          expect((await s.record()).state.phase).toBe("escalated");
          // A hold the killed process never reached must not stop the next one.
          held?.release();

          await s.start();
          await expectPostedOnce(s);
          await s.stop();
          expect(s.posts()).toHaveLength(1);
        },
        CASE_MS,
      );
    }

    it(
      "keeps a pasted record set saved before the ack: the next form is prefilled from it",
      async () => {
        const s = new Scenario(kind);
        await s.start({ PORTAL_CHECK_PAUSE_AT: "paste-saved" });
        await s.begin();
        const form = await s.open(await s.checkMessage(), "paste_records");
        void s.submit(form, { records: ROWS });
        await s.paused("paste-saved");
        await s.kill();

        await s.start();
        const surface = (await s.record()).surface as { pasted?: { emails: string[] }; findings?: unknown[] };
        expect(surface.pasted?.emails).toEqual(["family.lopez@example.org"]);
        expect(surface.findings).not.toEqual([]);
        const escalation = await s.open(await s.checkMessage(), "escalate_now");
        const emails = (escalation.blocks as Array<Record<string, unknown>>).find(
          (b) => b.block_id === "portal_emails",
        );
        expect(
          (must(emails, "the emails input").element as { initial_value?: string }).initial_value,
        ).toContain("family.lopez@example.org");
        await s.stop();
      },
      CASE_MS,
    );

    it(
      "keeps a case number saved before the ack",
      async () => {
        const s = new Scenario(kind);
        await s.start({ PORTAL_CHECK_PAUSE_AT: "case-number-saved" });
        await s.begin();
        const form = await s.open(await s.checkMessage(), "escalate_now");
        expect(await s.submit(form, ESCALATION_FORM)).toBe(200);
        await until(`case ${s.n}: the escalation posted`, () => s.posts().length === 1, SETTLE_MS);
        const post = must(s.posts()[0]);
        expect(buttons(post)).toContain("escalation_case_opened");
        const caseForm = await s.open(post, "escalation_case_opened");
        void s.submit(caseForm, { case_number: "00482913" });
        await s.paused("case-number-saved");
        await s.kill();

        await s.start();
        expect((await s.record()).surface.escalation).toMatchObject({
          status: "case_opened",
          case: "00482913",
        });
        await s.stop();
      },
      CASE_MS,
    );
  });
}

suite("SQLite");
if (!skipRedis) suite("Redis");
