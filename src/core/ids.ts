import { z } from "zod";

/**
 * Identifiers that are part of the public interface (see docs/architecture.md, "Contracts").
 * Flow steps, knowledge sections, retrieval answers and Slack payloads all use these.
 */

/** The eight checks of the help article, in article order. */
export const CHECK_IDS = [
  "shared-email",
  "duplicate-contact",
  "patient-status",
  "patient-age",
  "portal-access",
  "portal-authority",
  "start-end-dates",
  "interfaces",
] as const;
export const CheckId = z.enum(CHECK_IDS);
export type CheckId = z.infer<typeof CheckId>;

/** OP versions the former-portal article covers. Their UI navigation differs. */
export const OP_VERSIONS = ["14.19", "14.10"] as const;
export const OpVersion = z.enum(OP_VERSIONS);
export type OpVersion = z.infer<typeof OpVersion>;

/** The support line the article tells practices to call once the checks are exhausted. */
export const SUPPORT_PHONE = "800-218-9916";
