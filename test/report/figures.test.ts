import { describe, expect, it } from "vitest";
import { loadContent } from "../../src/content/load.js";
import { handle, startConversation } from "../../src/core/flow/engine.js";
import { Phase } from "../../src/core/flow/state.js";
import {
  buildReport,
  figuresOf,
  groupKey,
  isoWeek,
  listedIn,
  median,
} from "../../src/core/report/figures.js";
import { bar, barLines, duration, percent } from "../../src/core/report/format.js";
import {
  type OutcomeRecord,
  outcomeAt,
  parentConfirmedOf,
  phaseStatus,
} from "../../src/core/report/outcome.js";

const record = (over: Partial<OutcomeRecord>): OutcomeRecord => ({
  conversationId: "c",
  channel: null,
  outcome: "open",
  version: "14.19",
  fixedAt: null,
  stoppedAt: "shared-email",
  openingCheck: null,
  checks: [],
  escalated: false,
  autoEscalated: false,
  parentConfirmed: null,
  startedAt: "2026-11-02T10:00:00.000Z",
  finishedAt: null,
  lastActivityAt: "2026-11-02T10:00:00.000Z",
  conversationEndsAt: "2026-12-02T10:00:00.000Z",
  expiresAt: "2027-12-02T10:00:00.000Z",
  ...over,
});
const NOW = new Date("2026-11-15T00:00:00.000Z");

describe("report figures", () => {
  it("median of an even count is the mean of the middle two; none is null", () => {
    expect(median([40, 10, 30, 20])).toBe(25);
    expect(median([7])).toBe(7);
    expect(median([])).toBeNull();
  });

  it("an open record counts as abandoned once its conversation has ended", () => {
    const open = record({ conversationEndsAt: "2026-11-10T00:00:00.000Z" });
    expect(outcomeAt(open, NOW)).toBe("abandoned");
    expect(outcomeAt(open, new Date("2026-11-09T00:00:00.000Z"))).toBe("open");
    expect(outcomeAt(record({ outcome: "resolved", conversationEndsAt: open.conversationEndsAt }), NOW)).toBe(
      "resolved",
    );
  });

  it("escalation rate is escalated out of finished; open ones are left out of it", () => {
    const f = figuresOf(
      [
        record({ outcome: "escalated" }),
        record({ outcome: "resolved", finishedAt: "2026-11-02T10:20:00.000Z" }),
        record({}),
      ],
      NOW,
    );
    expect(f).toEqual({
      started: 3,
      open: 1,
      resolved: 1,
      escalated: 1,
      abandoned: 0,
      escalationRate: 0.5,
      medianMsToResolve: 20 * 60_000,
    });
    expect(figuresOf([record({})], NOW).escalationRate).toBeNull();
  });

  it("ISO weeks in UTC, across a year end", () => {
    expect(isoWeek(new Date("2026-11-02T00:00:00.000Z"))).toBe("2026-W45");
    expect(isoWeek(new Date("2027-01-01T12:00:00.000Z"))).toBe("2026-W53");
    expect(isoWeek(new Date("2024-12-30T00:00:00.000Z"))).toBe("2025-W01");
    expect(groupKey(record({ startedAt: "2026-11-30T23:59:59.000Z" }), "month")).toBe("2026-11");
    expect(groupKey(record({ version: null }), "version")).toBe("unknown");
    expect(groupKey(record({ stoppedAt: null }), "check")).toBe("none");
  });

  it("a period takes conversations started in [since, until)", () => {
    const r = buildReport(
      [
        record({ startedAt: "2026-11-01T00:00:00.000Z" }),
        record({ startedAt: "2026-11-08T00:00:00.000Z" }),
        record({ startedAt: "2026-10-31T23:59:59.999Z" }),
      ],
      {
        since: new Date("2026-11-01T00:00:00.000Z"),
        until: new Date("2026-11-08T00:00:00.000Z"),
        now: NOW,
        listed: listedIn(loadContent().knowledge),
      },
    );
    expect(r.totals.started).toBe(1);
    expect(r.fixedBy).toHaveLength(8);
  });

  it("bars are proportional, in eighths of a character, and texts are short", () => {
    expect(bar(10, 10, 4)).toBe("████");
    expect(bar(5, 10, 4)).toBe("██");
    expect(bar(1, 16, 2)).toBe("▏");
    expect(bar(0, 10, 4)).toBe("");
    expect(
      barLines(
        [
          { label: "a", value: 2 },
          { label: "bbb", value: 1 },
        ],
        4,
      ),
    ).toEqual(["a    ████ 2", "bbb  ██   1"]);
    expect(percent(0.2)).toBe("20%");
    expect(percent(null)).toBe("–");
    expect(duration(30 * 60_000)).toBe("30 min");
    expect(duration(3 * 60 * 60_000)).toBe("3 h");
    expect(duration(3 * 24 * 60 * 60_000)).toBe("3 d");
  });

  it("every phase has an App Home status; the parent's confirmation is read from the fixed answer", () => {
    expect(Phase.options.map((p) => [p, phaseStatus(p)])).toEqual([
      ["choose_version", "choosing_version"],
      ["newer_portal", "at_check"],
      ["check", "at_check"],
      ["confirm_fix", "awaiting_confirmation"],
      ["awaiting_parent", "awaiting_confirmation"],
      ["escalation", "in_escalation_form"],
      ["resolved", "finished"],
      ["escalated", "finished"],
    ]);
    const ctx = loadContent();
    const at = "2026-11-02T10:00:00.000Z";
    const fixed = handle(ctx, startConversation(ctx, { type: "start", at, version: "14.19" }).state, {
      type: "fixed",
      at,
    }).state;
    expect(parentConfirmedOf(fixed)).toBeNull();
    const withAnswer = (parent: "confirmed" | "waiting") => ({
      ...fixed,
      answers: fixed.answers.map((a) => ({ ...a, parent })),
    });
    expect(parentConfirmedOf(withAnswer("confirmed"))).toBe(true);
    expect(parentConfirmedOf(withAnswer("waiting"))).toBe(false);
  });
});
