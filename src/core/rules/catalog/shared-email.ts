import type { EmailRow, EmailRule } from "../rule.js";
import { advice, groupFinding } from "../rule.js";

const FIX = advice(
  "Give each parent an email of their own. Privacy rules (HIPAA) require a separate portal account per parent: if they insist on one address, keep it on one contact only and clear it from the others.",
);

/** One email on contacts with different first names: different people sharing one portal login. */
export const sharedEmail: EmailRule = {
  id: "shared-email",
  check: "shared-email",
  severity: () => "blocker",
  find(group, ctx) {
    if (group.oneContact || group.byFirstName.size < 2) return [];
    const named: EmailRow[] = [...group.byFirstName.values()].flat();
    return [
      groupFinding(
        this,
        ctx,
        group.email,
        named,
        (contacts, patients) =>
          `${contacts} share the email ${group.email} (for ${patients}); each parent needs a portal account with an email of their own.`,
        FIX,
      ),
    ];
  },
};
