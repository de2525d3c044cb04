import { describe, expect, it } from "vitest";
import { FlowEvent, FlowState } from "../../src/core/flow/state.js";
import { choiceFor } from "../../src/slack/action-ids.js";

/**
 * Check ids and OP versions became content-derived (issue 16): their schemas now check the form,
 * not a fixed list. What was stored and drawn before must still read the same.
 */
describe("state stored before check ids and versions came from the content", () => {
  it("still loads, with the same values", () => {
    const stored = {
      phase: "check",
      version: "14.10",
      current: "portal-authority",
      answers: [{ check: "shared-email", outcome: "not_fixed", at: "2026-11-01T10:00:00.000Z" }],
      opening: { text: "dad gets a server error", check: "portal-authority" },
      escalation: null,
      startedAt: "2026-11-01T09:59:00.000Z",
      updatedAt: "2026-11-01T10:00:00.000Z",
    };
    expect(FlowState.parse(stored)).toEqual(stored);
    expect(FlowEvent.parse({ type: "choose_version", at: stored.updatedAt, version: "newer" }).type).toBe(
      "choose_version",
    );
  });

  it("reads the version buttons drawn before as the same choices", () => {
    expect(choiceFor("choose_version_14.19")).toBe("version:14.19");
    expect(choiceFor("choose_version_14.10")).toBe("version:14.10");
    expect(choiceFor("choose_version_newer")).toBe("version:newer");
    expect(choiceFor("choose_version_junk")).toBeUndefined();
    expect(choiceFor("check_not_fixed")).toBe("not_fixed");
    expect(choiceFor("start_check")).toBeUndefined();
  });
});
