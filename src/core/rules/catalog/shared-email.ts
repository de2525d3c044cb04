import type { EmailRow, EmailRule } from "../rule.js";
import { advice, groupFinding } from "../rule.js";

// The check's steps say it all: the address may stay on one contact, the others need their own.
// That each parent needs a portal account of their own is the finding's message.
const FIX = advice();

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
