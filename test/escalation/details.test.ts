import { describe, expect, it } from "vitest";
import {
  detailsFromAnswers,
  EscalationDetails,
  type FormAnswers,
} from "../../src/core/escalation/details.js";
import { readEscalationForm } from "../../src/slack/blocks/escalation-form.js";
import type { StateValues } from "../../src/slack/blocks/kit.js";

/** The same typed answers as Slack's modal submits them. */
function slackValues(answers: FormAnswers): StateValues {
  const values: StateValues = {};
  for (const [id, value] of Object.entries(answers)) {
    values[id] =
      id === "reset_authorized"
        ? {
            value: {
              type: "radio_buttons",
              selected_option: { text: { type: "plain_text", text: value }, value },
            },
          }
        : { value: { type: "plain_text_input", value } };
  }
  return values;
}

const answers: FormAnswers = {
  parent_name: "Dana Example",
  portal_emails: "dana@example.com, Dana.Work@example.com;\nthird@example.org\n",
  patients: "Example, Sam\nRiley Example\n\n",
  steps_taken: "merged the two contacts",
  reset_authorized: "yes",
};

describe("detailsFromAnswers: one reading of the escalation form for Slack and the terminal", () => {
  it("splits emails on lines, commas and semicolons, and patients on lines only", () => {
    expect(detailsFromAnswers(answers)).toEqual({
      parent_name: "Dana Example",
      portal_emails: ["dana@example.com", "Dana.Work@example.com", "third@example.org"],
      // "Last, First" is one patient.
      patients: ["Example, Sam", "Riley Example"],
      steps_taken: "merged the two contacts",
      reset_authorized: true,
    });
    expect(detailsFromAnswers({ reset_authorized: "No" }).reset_authorized).toBe(false);
    expect(detailsFromAnswers({ reset_authorized: "Y" }).reset_authorized).toBe(true);
  });

  it("gives Slack's modal the same details the terminal gets", () => {
    const slack = readEscalationForm(slackValues(answers));
    expect(slack).toEqual({ ok: true, details: EscalationDetails.parse(detailsFromAnswers(answers)) });
    if (slack.ok) expect(slack.details.portal_emails).toContain("dana.work@example.com");
  });

  it("an empty patients answer is refused by both (every field is required)", () => {
    const empty = { ...answers, patients: "" };
    expect(EscalationDetails.safeParse(detailsFromAnswers(empty)).success).toBe(false);
    const slack = readEscalationForm(slackValues(empty));
    expect(slack).toEqual({ ok: false, errors: { patients: "List at least one patient." } });
  });
});
