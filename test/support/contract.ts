/**
 * What the shipped content must say, as docs/architecture.md's contracts state it. The code reads
 * these facts from knowledge/ and flows/ (checkIdsOf, opVersionsOf, supportPhoneOf); tests that
 * pin the shipped content compare with these, tests of behaviour read the content.
 */

/** The eight checks of the article, in its order (contract: check ids). */
export const ARTICLE_CHECKS = [
  "shared-email",
  "duplicate-contact",
  "patient-status",
  "patient-age",
  "portal-access",
  "portal-authority",
  "start-end-dates",
  "interfaces",
];

/** The OP versions the article covers, the default first. */
export const ARTICLE_VERSIONS = ["14.19", "14.10"];

/** The number the article says to call. */
export const ARTICLE_PHONE = "800-218-9916";
